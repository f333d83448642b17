"""Stream limits from settings: the duplicate window must outlast the outbox relay's retries."""

from __future__ import annotations

import inspect

import pytest

from services.kernel import BaseSettings, SettingsError, load_settings
from services.kernel.nats import NatsLink, StreamLimits
from services.kernel.outbox import LONGEST_RETRY, OutboxRelay


def _limits(**env: str) -> StreamLimits:
    return StreamLimits.from_settings(load_settings(BaseSettings, env))


def test_the_longest_retry_covers_the_relays_own_timeout_and_backoff() -> None:
    defaults = inspect.signature(OutboxRelay).parameters
    assert defaults["publish_timeout"].default + defaults["max_backoff"].default <= LONGEST_RETRY


def test_a_duplicate_window_shorter_than_the_relays_longest_retry_is_refused() -> None:
    short = {"STREAM_DUPLICATE_WINDOW_SECONDS": str(LONGEST_RETRY - 0.5)}
    with pytest.raises(SettingsError, match=r"^STREAM_DUPLICATE_WINDOW_SECONDS: .* longest retry"):
        _limits(**short)
    with pytest.raises(SettingsError, match=r"^STREAM_DUPLICATE_WINDOW_SECONDS: "):
        NatsLink.from_settings(load_settings(BaseSettings, short), name="svc")


def test_a_duplicate_window_of_the_longest_retry_is_accepted() -> None:
    assert _limits(STREAM_DUPLICATE_WINDOW_SECONDS=str(LONGEST_RETRY)).duplicate_window == LONGEST_RETRY


def test_a_duplicate_window_longer_than_the_retention_is_refused() -> None:
    with pytest.raises(SettingsError, match=r"^STREAM_DUPLICATE_WINDOW_SECONDS: .* STREAM_MAX_AGE_SECONDS"):
        _limits(STREAM_DUPLICATE_WINDOW_SECONDS="600", STREAM_MAX_AGE_SECONDS="300")


def test_the_defaults_keep_a_year_on_one_replica_and_cover_the_retries() -> None:
    limits = _limits()
    assert (limits.max_age, limits.max_bytes, limits.replicas) == (365 * 86400, 1 << 30, 1)
    assert limits.duplicate_window >= LONGEST_RETRY
    assert NatsLink("nats://127.0.0.1:1", name="svc").limits == limits


@pytest.mark.parametrize(
    ("variable", "value"),
    [("STREAM_REPLICAS", "0"), ("STREAM_REPLICAS", "7"), ("STREAM_MAX_BYTES", "-1"), ("STREAM_MAX_AGE_SECONDS", "0")],
)
def test_a_bad_limit_names_its_variable(variable: str, value: str) -> None:
    with pytest.raises(SettingsError, match=rf"^{variable}: "):
        load_settings(BaseSettings, {variable: value})
