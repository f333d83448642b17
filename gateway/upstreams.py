"""Upstreams: the one seam for forwarding ``/api/<service>/…`` to a service (and readiness probes).

The services' base URLs (the registry's, from settings), one pooled HTTP client built in the
lifespan, timeouts, the W3C trace context, and the mapping of transport failures to
``UpstreamError`` (502 ``upstream_unavailable`` / 504 ``upstream_timeout``). Two transports
sit behind the seam: the default ``keepalive`` (requests without a body through the gateway's own
HTTP/1.1 keep-alive client, ``keepalive.py``; those with a body through aiohttp), aiohttp's client
for everything (``GATEWAY_TRANSPORT=aiohttp``) and plain ``httpx.AsyncClient``
(``GATEWAY_TRANSPORT=httpx``), so ``make bench`` can compare (README design notes).
Bodies are streamed both ways; nothing here buffers a proxied body.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterable, AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from typing import Protocol

import aiohttp
import httpx
from opentelemetry import trace
from yarl import URL

from services.kernel import DomainError, UpstreamError
from services.kernel.registry import SERVICE_NAMES
from services.kernel.telemetry import inject_headers, tracer

from .early_answers import EarlyAnswerConnector
from .keepalive import KeepAliveClient, StaleConnectionError
from .settings import GatewaySettings

__all__ = ["Body", "Headers", "UpstreamResponse", "Upstreams"]

logger = logging.getLogger(__name__)

Body = AsyncIterable[bytes] | bytes | None
Headers = list[tuple[str, str]]
RawHeaders = list[tuple[bytes, bytes]]
_RETRYABLE = frozenset({"GET", "HEAD", "OPTIONS"})
# Never let a transport add headers the client did not send (the proxy forwards bodies raw).
_SKIP_AUTO_HEADERS = ("User-Agent", "Accept", "Accept-Encoding", "Content-Type")


Errors = tuple[type[BaseException], ...]


@dataclass(frozen=True, slots=True)
class _ErrorMap:
    """A transport's exceptions: timeouts (→ 504), failures (→ 502), and a pooled connection the
    service had already closed (``stale``: a safe request without body is retried once)."""

    timeouts: Errors
    failures: Errors
    stale: Errors


@dataclass(slots=True)
class UpstreamResponse:
    """Status and raw headers of an upstream response; the body is read with ``chunks()``."""

    status: int
    headers: RawHeaders
    _chunks: AsyncIterator[bytes]
    _close: Callable[[bool], Awaitable[None]]
    _errors: _ErrorMap

    async def chunks(self) -> AsyncIterator[bytes]:
        """The body as it arrives; a failure mid-body raises UpstreamError."""
        try:
            async for chunk in self._chunks:
                if chunk:
                    yield chunk
        except self._errors.timeouts:
            raise UpstreamError.timed_out() from None
        except self._errors.failures:
            raise UpstreamError.unavailable() from None

    async def read(self) -> bytes:
        try:
            return b"".join([chunk async for chunk in self.chunks()])
        finally:
            await self.aclose(complete=True)

    async def aclose(self, *, complete: bool) -> None:
        """Give the connection back to the pool (``complete``) or drop it (an aborted body)."""
        await self._close(complete)


class Transport(Protocol):
    """What the seam needs from an HTTP client; two implementations, chosen by settings."""

    errors: _ErrorMap

    async def open(
        self, method: str, url: str, *, headers: Headers, body: Body, time_limit: float | None
    ) -> UpstreamResponse: ...

    async def close(self) -> None: ...


class AiohttpTransport:
    """aiohttp's client: pooled connections with keep-alive, raw (undecoded) bodies, no cookies; a
    service's early answer to an upload reaches the client and its connection is dropped
    (``early_answers``)."""

    errors = _ErrorMap(
        timeouts=(TimeoutError,),
        failures=(aiohttp.ClientError, OSError),
        stale=(aiohttp.ServerDisconnectedError,),
    )

    def __init__(self, settings: GatewaySettings) -> None:
        self._timeout = aiohttp.ClientTimeout(
            total=None, connect=settings.upstream_connect_timeout, sock_read=settings.upstream_timeout
        )
        self._session = aiohttp.ClientSession(
            connector=EarlyAnswerConnector(
                limit=settings.upstream_pool_size,
                keepalive_timeout=settings.upstream_keepalive_seconds,
            ),
            timeout=self._timeout,
            auto_decompress=False,
            skip_auto_headers=_SKIP_AUTO_HEADERS,
            cookie_jar=aiohttp.DummyCookieJar(),
        )

    async def open(
        self, method: str, url: str, *, headers: Headers, body: Body, time_limit: float | None
    ) -> UpstreamResponse:
        response = await self._session.request(
            method,
            URL(url, encoded=True),
            headers=headers,
            data=body,
            allow_redirects=False,
            timeout=aiohttp.ClientTimeout(total=time_limit) if time_limit else self._timeout,
        )

        async def close(complete: bool) -> None:
            if complete:
                response.release()
            else:
                response.close()

        return UpstreamResponse(
            response.status, list(response.raw_headers), response.content.iter_any(), close, self.errors
        )

    async def close(self) -> None:
        await self._session.close()


class KeepAliveTransport:
    """Requests without a body through the gateway's own keep-alive client (``keepalive``), those
    with a body through aiohttp (early answers of uploads): the default."""

    errors = _ErrorMap(
        timeouts=(TimeoutError,),
        failures=(aiohttp.ClientError, OSError),
        stale=(StaleConnectionError, aiohttp.ServerDisconnectedError),
    )

    def __init__(self, settings: GatewaySettings) -> None:
        self._client = KeepAliveClient(settings)
        self._bodies = AiohttpTransport(settings)

    async def open(
        self, method: str, url: str, *, headers: Headers, body: Body, time_limit: float | None
    ) -> UpstreamResponse:
        if body is not None or not url.startswith("http://"):
            return await self._bodies.open(method, url, headers=headers, body=body, time_limit=time_limit)
        status, raw, chunks, close = await self._client.open(method, url, headers=headers, time_limit=time_limit)
        return UpstreamResponse(status, raw, chunks, close, self.errors)

    async def close(self) -> None:
        await self._client.close()
        await self._bodies.close()


class HttpxTransport:
    """Plain ``httpx.AsyncClient`` (kept for the benchmark's comparison; slower, see the README's design notes)."""

    errors = _ErrorMap(
        timeouts=(httpx.TimeoutException,),
        failures=(httpx.TransportError, OSError),
        stale=(httpx.RemoteProtocolError,),
    )

    def __init__(self, settings: GatewaySettings) -> None:
        self._timeout = httpx.Timeout(
            connect=settings.upstream_connect_timeout,
            read=settings.upstream_timeout,
            write=settings.upstream_timeout,
            pool=settings.upstream_connect_timeout,
        )
        self._client = httpx.AsyncClient(
            limits=httpx.Limits(
                max_connections=settings.upstream_pool_size,
                max_keepalive_connections=settings.upstream_pool_size,
                keepalive_expiry=settings.upstream_keepalive_seconds,
            ),
            timeout=self._timeout,
            trust_env=False,
            follow_redirects=False,
        )
        self._client.headers = httpx.Headers()  # no default Accept/User-Agent: forward the client's

    async def open(
        self, method: str, url: str, *, headers: Headers, body: Body, time_limit: float | None
    ) -> UpstreamResponse:
        request = self._client.build_request(
            method, url, headers=headers, content=body, timeout=time_limit or self._timeout
        )
        response = await self._client.send(request, stream=True)

        async def close(_complete: bool) -> None:
            await response.aclose()

        return UpstreamResponse(
            response.status_code, list(response.headers.raw), response.aiter_raw(), close, self.errors
        )

    async def close(self) -> None:
        await self._client.aclose()


async def _send(
    transport: Transport, method: str, url: str, *, headers: Headers, body: Body, time_limit: float | None
) -> UpstreamResponse:
    """One exchange; a safe request without body that met a closed pooled connection is retried once."""
    try:
        return await transport.open(method, url, headers=headers, body=body, time_limit=time_limit)
    except transport.errors.stale:
        if body is not None or method not in _RETRYABLE:
            raise
        return await transport.open(method, url, headers=headers, body=None, time_limit=time_limit)


_TRANSPORTS: dict[str, Callable[[GatewaySettings], Transport]] = {
    "keepalive": KeepAliveTransport,
    "aiohttp": AiohttpTransport,
    "httpx": HttpxTransport,
}


class Upstreams:
    """The service registry and the one client, opened in the lifespan and closed at shutdown."""

    def __init__(self, settings: GatewaySettings) -> None:
        self.settings = settings
        self.base_urls = {name: settings.service_urls[name] for name in SERVICE_NAMES}
        self._transport: Transport | None = None
        self._tracer = tracer("qual.gateway.upstreams")

    async def start(self) -> None:
        self._transport = _TRANSPORTS[self.settings.gateway_transport](self.settings)

    async def close(self) -> None:
        if self._transport is not None:
            await self._transport.close()
            self._transport = None

    async def open(
        self,
        service: str,
        method: str,
        path: str,
        *,
        headers: Headers,
        body: Body = None,
        time_limit: float | None = None,
    ) -> UpstreamResponse:
        """Send ``method path`` (path with query) to ``service`` and return once headers arrive.

        The trace context of a client span is added to ``headers``; ``time_limit`` (seconds) caps
        the whole exchange, else the settings' connect and read timeouts apply.
        """
        transport = self._require_transport()
        url = self.base_urls[service] + path
        with self._tracer.start_as_current_span(f"{method} {service}", kind=trace.SpanKind.CLIENT) as span:
            headers.extend(inject_headers({}).items())
            try:
                response = await _send(transport, method, url, headers=headers, body=body, time_limit=time_limit)
            except transport.errors.timeouts:
                logger.warning("upstream %s timed out: %s %s", service, method, path)
                raise UpstreamError.timed_out() from None
            except transport.errors.failures as exc:
                if isinstance(exc.__cause__, DomainError):  # the body's own source refused it (its limit)
                    raise exc.__cause__ from None
                logger.warning("upstream %s unavailable: %s %s (%r)", service, method, path, exc)
                raise UpstreamError.unavailable() from None
            span.set_attribute("http.status_code", response.status)
        return response

    async def probe(self, service: str) -> str:
        """``ready`` (200 from /readyz), ``degraded`` (any other answer) or ``down`` (no answer)."""
        limit = self.settings.readiness_timeout
        try:
            async with asyncio.timeout(limit):
                response = await self.open(service, "GET", "/readyz", headers=[], time_limit=limit)
                await response.read()
        except (UpstreamError, TimeoutError):
            return "down"
        return "ready" if response.status == 200 else "degraded"

    def _require_transport(self) -> Transport:
        if self._transport is None:
            raise RuntimeError("upstreams are not started (the app lifespan starts them)")
        return self._transport
