"""The public routes' per-IP limit: a full window answers 429 with Retry-After and a Chinese message."""

from __future__ import annotations

import pytest

from gateway.ratelimit import PUBLIC_RATE_MESSAGE, PublicLimiter
from gateway.settings import GatewaySettings
from services.kernel import TooManyRequestsError


def test_the_window_refuses_past_the_limit_per_ip_and_frees_up_after_it() -> None:
    limiter = PublicLimiter(GatewaySettings(public_limit_per_ip=3, public_limit_window_seconds=10.0))
    for moment in (0.0, 1.0, 2.0):
        limiter.check("10.0.0.1", now=moment)
    limiter.check("10.0.0.2", now=2.5)  # another address has its own window
    with pytest.raises(TooManyRequestsError) as refused:
        limiter.check("10.0.0.1", now=3.0)
    assert (refused.value.status_code, refused.value.code) == (429, "public_rate_limited")
    assert refused.value.message == PUBLIC_RATE_MESSAGE
    assert refused.value.headers == {"Retry-After": "10"}
    limiter.check("10.0.0.1", now=10.5)  # the first call left the window
