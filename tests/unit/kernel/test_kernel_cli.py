"""A service's command line (``kernel/cli.py``): a file command runs with the settings, a bad
setting exits 1 naming it, anything else prints the usage (exit 2), an unreadable file is refused."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from services.kernel import BaseSettings, ServiceSpec
from services.kernel.cli import UnusableFileError, read_input, refused, report_beside, service_main

SPEC = ServiceSpec(name="registry", settings_cls=BaseSettings)


def test_a_file_command_runs_with_the_path_and_the_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PORT", raising=False)
    seen: list[tuple[Path, Any]] = []

    def load(path: Path, settings: Any) -> int:
        seen.append((path, settings))
        return 7

    assert service_main(SPEC, ["legacy-load", "x.csv"], commands={"legacy-load": load}) == 7
    assert seen[0][0] == Path("x.csv")
    assert seen[0][1].service_name == "registry"


def test_a_bad_setting_or_a_refused_check_exits_1_naming_it(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def never(_path: Path, _settings: Any) -> int:
        raise AssertionError("the command must not run")

    monkeypatch.setenv("PORT", "not-a-port")
    assert service_main(SPEC, ["legacy-load", "x.csv"], commands={"legacy-load": never}) == 1
    assert "registry: bad setting PORT" in capsys.readouterr().err

    monkeypatch.delenv("PORT")

    def no_keys(_settings: Any) -> None:
        raise ValueError("STAFFING_DATA_KEY: 32 bytes expected")

    assert service_main(SPEC, ["legacy-load", "x.csv"], commands={"legacy-load": never}, check=no_keys) == 1
    assert "registry: bad setting STAFFING_DATA_KEY" in capsys.readouterr().err


@pytest.mark.parametrize("argv", [["legacy-load"], ["legacy-load", "a", "b"], ["load", "x.csv"], ["serve", "x"]])
def test_anything_else_prints_the_usage(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert service_main(SPEC, argv, commands={"legacy-load": lambda _p, _s: 0}) == 2
    assert capsys.readouterr().err == "usage: python -m services.registry [serve | legacy-load FILE]\n"


def test_an_unreadable_file_is_refused_with_its_reason(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "没有.csv"
    with pytest.raises(UnusableFileError) as refusal:
        read_input(missing)
    assert str(refusal.value).startswith(f"无法读取文件 {missing}：")
    assert refused(str(refusal.value)) == 2
    assert capsys.readouterr().err == f"{refusal.value}\n"

    present = tmp_path / "证书.csv"
    present.write_bytes(b"a,b\n")
    assert read_input(present) == b"a,b\n"
    assert report_beside(present, b"r") == tmp_path / "证书.csv.rejected.csv"
    assert (tmp_path / "证书.csv.rejected.csv").read_bytes() == b"r"
