"""Sliding windows of the login limiter, and which client address counts."""

from __future__ import annotations

import pytest

from gateway.ratelimit import LoginLimiter, SlidingWindow, client_ip
from gateway.settings import GatewaySettings
from services.kernel import TooManyRequestsError


def test_a_window_holds_at_most_its_limit_and_slides() -> None:
    window = SlidingWindow(2, 60)
    window.record("k", 0)
    window.record("k", 10)

    assert window.full("k", 59)
    assert not window.full("k", 60)  # the first event left the window
    assert not window.full("other", 59)


def test_a_flood_of_keys_does_not_grow_without_bound() -> None:
    window = SlidingWindow(1, 60, max_keys=100)
    for n in range(1000):
        window.record(f"ip{n}", float(n))

    assert len(window._events) <= 100


def test_the_limiter_counts_ip_and_username_and_refuses_with_429() -> None:
    limiter = LoginLimiter(GatewaySettings(login_limit_per_ip=3, login_limit_per_username=2))
    limiter.check(ip="1.1.1.1", username="Alice", now=0)
    limiter.check(ip="2.2.2.2", username="alice ", now=1)

    with pytest.raises(TooManyRequestsError) as refused:
        limiter.check(ip="3.3.3.3", username="ALICE", now=2)

    assert refused.value.status_code == 429
    assert refused.value.code == "login_rate_limited"
    assert refused.value.message == "登录尝试过于频繁，请稍后再试"
    limiter.check(ip="3.3.3.3", username="bob", now=2)
    limiter.check(ip="3.3.3.3", username="alice", now=61)  # the username window slid


def test_a_refused_attempt_is_not_counted() -> None:
    limiter = LoginLimiter(GatewaySettings(login_limit_per_ip=1, login_limit_per_username=1))
    limiter.check(ip="1.1.1.1", username="a", now=0)
    for _ in range(3):
        with pytest.raises(TooManyRequestsError):
            limiter.check(ip="1.1.1.1", username="b", now=1)

    limiter.check(ip="2.2.2.2", username="b", now=1)  # b's window holds one attempt, not four


def _scope(*headers: tuple[bytes, bytes]) -> dict:
    return {"client": ("192.0.2.7", 5555), "headers": list(headers)}


def test_forwarded_for_counts_only_behind_a_trusted_proxy() -> None:
    scope = _scope((b"x-forwarded-for", b"6.6.6.6, 203.0.113.9"))

    assert client_ip(scope, GatewaySettings()) == "192.0.2.7"
    assert client_ip(scope, GatewaySettings(trust_forwarded=True)) == "203.0.113.9"
    assert client_ip({"headers": []}, GatewaySettings()) == ""


def test_a_forwarded_address_that_is_not_an_ip_falls_back_to_the_peer() -> None:
    trusted = GatewaySettings(trust_forwarded=True)
    assert client_ip(_scope((b"x-forwarded-for", b"unknown")), trusted) == "192.0.2.7"
    assert client_ip(_scope((b"x-forwarded-for", b"1.2.3.4, 1.2.3.4:99")), trusted) == "192.0.2.7"
    assert client_ip(_scope((b"x-forwarded-for", b"2001:DB8::1")), trusted) == "2001:db8::1"
