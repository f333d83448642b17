"""Settings: environment variables with embedded defaults; a bad one names the variable."""

from __future__ import annotations

import pytest

from services.kernel import BaseSettings, SettingsError, load_settings


class ExampleSettings(BaseSettings, frozen=True, kw_only=True):
    batch_limit: int = 50


def test_defaults_apply_when_nothing_is_set() -> None:
    settings = load_settings(ExampleSettings, {})
    assert settings.batch_limit == 50
    assert settings.embedded is True


def test_environment_values_are_converted() -> None:
    settings = load_settings(ExampleSettings, {"BATCH_LIMIT": "7", "EMBEDDED": "false", "PORT": "9000"})
    assert (settings.batch_limit, settings.embedded, settings.port) == (7, False, 9000)


@pytest.mark.parametrize(
    ("env", "variable"),
    [({"BATCH_LIMIT": "many"}, "BATCH_LIMIT"), ({"PORT": "eighty"}, "PORT"), ({"EMBEDDED": "maybe"}, "EMBEDDED")],
)
def test_a_bad_value_names_the_variable(env: dict[str, str], variable: str) -> None:
    with pytest.raises(SettingsError, match=rf"^{variable}: "):
        load_settings(ExampleSettings, env)


def test_explicit_overrides_win() -> None:
    settings = load_settings(ExampleSettings, {"PORT": "1"}, port=2)
    assert settings.port == 2
