"""Login rate limits per client IP and per username (in-process sliding windows).

One gateway process keeps its own windows; with N workers or replicas the effective limit is
up to N times the setting. The lockout after repeated failures (5 in 15 minutes) is identity's:
the portal only shows its message.
"""

from __future__ import annotations

import functools
import ipaddress
import time
from collections import deque
from typing import Any

from services.kernel import TooManyRequestsError

from .settings import GatewaySettings

__all__ = ["LOGIN_RATE_MESSAGE", "PUBLIC_RATE_MESSAGE", "LoginLimiter", "PublicLimiter", "SlidingWindow", "client_ip"]

LOGIN_RATE_MESSAGE = "登录尝试过于频繁，请稍后再试"
PUBLIC_RATE_MESSAGE = "查询过于频繁，请稍后再试"


class SlidingWindow:
    """At most ``limit`` events per key in any ``window`` seconds."""

    def __init__(self, limit: int, window: float, *, max_keys: int = 100_000) -> None:
        self._limit = limit
        self._window = window
        self._max_keys = max_keys
        self._events: dict[str, deque[float]] = {}

    def full(self, key: str, now: float) -> bool:
        events = self._events.get(key)
        if events is None:
            return False
        while events and now - events[0] >= self._window:
            events.popleft()
        if not events:
            del self._events[key]
            return False
        return len(events) >= self._limit

    def record(self, key: str, now: float) -> None:
        if key not in self._events and len(self._events) >= self._max_keys:
            self._forget_idle(now)
        self._events.setdefault(key, deque()).append(now)

    def _forget_idle(self, now: float) -> None:
        idle = [key for key, events in self._events.items() if not events or now - events[-1] >= self._window]
        for key in idle:
            del self._events[key]
        if len(self._events) >= self._max_keys:  # a flood of distinct keys: drop the oldest half
            for key in list(self._events)[: self._max_keys // 2]:
                del self._events[key]


class LoginLimiter:
    """Counts every login attempt against both the client IP and the username."""

    def __init__(self, settings: GatewaySettings) -> None:
        window = settings.login_limit_window_seconds
        self._per_ip = SlidingWindow(settings.login_limit_per_ip, window)
        self._per_username = SlidingWindow(settings.login_limit_per_username, window)

    def check(self, *, ip: str, username: str, now: float | None = None) -> None:
        """Record an attempt, or raise TooManyRequestsError (429) when either window is full."""
        moment = time.monotonic() if now is None else now
        name = username.strip().lower()
        if self._per_ip.full(ip, moment) or self._per_username.full(name, moment):
            raise TooManyRequestsError(LOGIN_RATE_MESSAGE, code="login_rate_limited")
        self._per_ip.record(ip, moment)
        self._per_username.record(name, moment)


class PublicLimiter:
    """Counts the anonymous visitor's calls to public routes (证书查询, 核验) per client IP."""

    def __init__(self, settings: GatewaySettings) -> None:
        self._window = settings.public_limit_window_seconds
        self._per_ip = SlidingWindow(settings.public_limit_per_ip, self._window)

    def check(self, ip: str, *, now: float | None = None) -> None:
        """Record a call, or raise TooManyRequestsError (429, ``Retry-After``) when the window is full."""
        moment = time.monotonic() if now is None else now
        if self._per_ip.full(ip, moment):
            retry = str(max(1, round(self._window)))
            raise TooManyRequestsError(PUBLIC_RATE_MESSAGE, code="public_rate_limited", headers={"Retry-After": retry})
        self._per_ip.record(ip, moment)


def client_ip(scope: Any, settings: GatewaySettings) -> str:
    """The address a trusted reverse proxy saw (the last ``X-Forwarded-For``), else the peer's;
    always a valid IPv4/IPv6 address in canonical form, or ``""`` when there is none."""
    if settings.trust_forwarded:
        for name, value in scope.get("headers", ()):
            if name == b"x-forwarded-for" and (forwarded := _address(value.decode("latin-1").split(",")[-1])):
                return forwarded
    client = scope.get("client")
    return _address(str(client[0])) if client else ""


@functools.lru_cache(maxsize=4096)
def _address(text: str) -> str:
    """``text`` as a canonical IP address, or ``""`` (remembered: the same peers call again and again)."""
    try:
        return str(ipaddress.ip_address(text.strip()))
    except ValueError:
        return ""
