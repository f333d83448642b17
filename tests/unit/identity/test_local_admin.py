"""deploy/local/admin.py: the first start writes the administrator's password once (mode 600) and
hands it to ``python -m services.identity accounts ensure-admin``; later starts never regenerate it."""

from __future__ import annotations

import stat
import subprocess
from pathlib import Path
from typing import Any

import pytest

from deploy.local.admin import PASSWORD_FILE, ensure_admin, new_password
from services.identity.rules import password_is_strong


class Command:
    """Stands in for the identity CLI process: records what it was run with, answers ``status``."""

    def __init__(self, status: int = 0) -> None:
        self.status = status
        self.calls: list[tuple[list[str], dict[str, Any]]] = []
        self.seen: list[str] = []

    def __call__(self, args: list[str], **options: Any) -> subprocess.CompletedProcess[str]:
        self.calls.append((args, options))
        self.seen.append(Path(args[-1]).read_text())
        return subprocess.CompletedProcess(args, self.status, stdout="", stderr="数据库不可用")


def test_the_first_start_writes_the_password_with_mode_600_and_creates_the_admin(tmp_path: Path) -> None:
    command = Command()
    password = ensure_admin(tmp_path, {"DATABASE_URL": "postgresql://x"}, run=command)
    path = tmp_path / PASSWORD_FILE
    assert password is not None and password_is_strong(password)
    assert path.read_text() == f"{password}\n"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    ((args, options),) = command.calls
    assert args[1:] == ["-m", "services.identity", "accounts", "ensure-admin", "--password-file", str(path)]
    assert options["env"] == {"DATABASE_URL": "postgresql://x"}
    assert command.seen == [f"{password}\n"]  # the file was complete when the command read it


def test_a_later_start_keeps_the_password_and_prints_nothing(tmp_path: Path) -> None:
    first = ensure_admin(tmp_path, {}, run=Command())
    command = Command()
    assert ensure_admin(tmp_path, {}, run=command) is None
    assert (tmp_path / PASSWORD_FILE).read_text() == f"{first}\n"
    assert command.seen == [f"{first}\n"]  # still ensured: a reset database gets its admin back


def test_a_failed_first_start_leaves_no_password_behind(tmp_path: Path) -> None:
    with pytest.raises(RuntimeError, match="数据库不可用"):
        ensure_admin(tmp_path, {}, run=Command(status=1))
    assert not (tmp_path / PASSWORD_FILE).exists()


def test_generated_passwords_are_strong_and_differ() -> None:
    passwords = {new_password() for _ in range(200)}
    assert len(passwords) == 200 and all(password_is_strong(password) for password in passwords)
