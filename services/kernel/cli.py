"""A service's command line: ``python -m services.<name>`` serves (no arguments, or ``serve``);
a service adds commands that take one file (``legacy-load FILE``).

``service_main`` parses the arguments, loads the settings (a bad one exits 1 naming it), runs the
command and prints the usage for anything else (exit 2). A command reads its file with
``read_input`` and refuses a file it cannot use with ``refused`` (exit 2, the reason in Chinese on
stderr); ``report_beside`` writes a report next to the file.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .settings import SettingsError

if TYPE_CHECKING:
    from .service import ServiceSpec

__all__ = ["UnusableFileError", "read_input", "refused", "report_beside", "service_main"]

FileCommand = Callable[[Path, Any], int]
"""``command(path, settings)`` -> exit status."""


class UnusableFileError(Exception):
    """The file cannot be used: its reason, in Chinese, for stderr (exit status 2)."""


def read_input(path: Path) -> bytes:
    """The file's bytes; an unreadable file is a ``UnusableFileError`` naming it and why."""
    try:
        return path.read_bytes()
    except OSError as exc:
        raise UnusableFileError(f"无法读取文件 {path}：{exc.strerror or exc}") from None


def refused(message: str) -> int:
    """Say why the file was refused and return the exit status 2."""
    sys.stderr.write(f"{message}\n")
    return 2


def report_beside(path: Path, data: bytes, *, suffix: str = ".rejected.csv") -> Path:
    """Write ``data`` next to ``path`` as ``<name><suffix>``; the report's path."""
    report = path.with_name(f"{path.name}{suffix}")
    report.write_bytes(data)
    return report


def service_main(
    spec: ServiceSpec[Any],
    argv: Sequence[str] | None,
    *,
    commands: Mapping[str, FileCommand],
    check: Callable[[Any], object] | None = None,
) -> int:
    """Serve, or run ``commands[argv[0]](Path(argv[1]), settings)``; ``check(settings)`` may refuse
    settings a command needs (a ValueError) before anything is read."""
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args == ["serve"]:
        spec.main()
        return 0
    if len(args) == 2 and args[0] in commands:
        try:
            settings = spec.settings()
            if check is not None:
                check(settings)
        except (SettingsError, ValueError) as exc:
            sys.stderr.write(f"{spec.name}: bad setting {exc}\n")
            return 1
        return commands[args[0]](Path(args[1]), settings)
    listed = " | ".join(["serve", *(f"{name} FILE" for name in commands)])
    sys.stderr.write(f"usage: python -m services.{spec.name} [{listed}]\n")
    return 2
