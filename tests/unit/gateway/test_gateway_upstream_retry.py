"""The seam retries a safe request without body once when a pooled connection had been closed."""

from __future__ import annotations

import aiohttp
import pytest

from gateway.upstreams import AiohttpTransport, UpstreamResponse, _send


class ClosingTransport:
    """A transport whose first ``failures`` exchanges meet a connection the service had closed."""

    errors = AiohttpTransport.errors

    def __init__(self, failures: int) -> None:
        self.failures = failures
        self.calls = 0

    async def open(self, method, url, *, headers, body, time_limit) -> UpstreamResponse:  # type: ignore[no-untyped-def]
        self.calls += 1
        if self.calls <= self.failures:
            raise aiohttp.ServerDisconnectedError()

        async def close(_complete: bool) -> None:
            return None

        async def nothing():  # type: ignore[no-untyped-def]
            yield b""

        return UpstreamResponse(200, [], nothing(), close, self.errors)

    async def close(self) -> None:
        return None


async def test_a_get_is_retried_once_on_a_fresh_connection() -> None:
    transport = ClosingTransport(failures=1)

    response = await _send(transport, "GET", "http://svc/x", headers=[], body=None, time_limit=None)

    assert response.status == 200
    assert transport.calls == 2


async def test_a_second_failure_is_not_retried() -> None:
    transport = ClosingTransport(failures=2)

    with pytest.raises(aiohttp.ServerDisconnectedError):
        await _send(transport, "GET", "http://svc/x", headers=[], body=None, time_limit=None)
    assert transport.calls == 2


@pytest.mark.parametrize(("method", "body"), [("POST", None), ("DELETE", None), ("GET", b"x")])
async def test_state_changes_and_bodies_are_never_retried(method: str, body: bytes | None) -> None:
    transport = ClosingTransport(failures=1)

    with pytest.raises(aiohttp.ServerDisconnectedError):
        await _send(transport, method, "http://svc/x", headers=[], body=body, time_limit=None)
    assert transport.calls == 1
