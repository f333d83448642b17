"""Staffing refuses to start without its two keys, naming the variable."""

from __future__ import annotations

import pytest

from services.kernel import SettingsError
from services.staffing.app import SPEC
from services.staffing.protection import generate_key


def test_without_keys_the_settings_name_the_missing_variable() -> None:
    with pytest.raises(SettingsError, match="STAFFING_DATA_KEY"):
        SPEC.settings({})
    with pytest.raises(SettingsError, match="STAFFING_HASH_KEY"):
        SPEC.settings({"STAFFING_DATA_KEY": generate_key()})


def test_with_keys_the_settings_give_the_protector() -> None:
    settings = SPEC.settings({"STAFFING_DATA_KEY": generate_key(), "STAFFING_HASH_KEY": generate_key()})

    assert settings.service_name == "staffing"
    assert settings.protector().open_text(settings.protector().seal_text("x")) == "x"
