"""KeepAliveClient: the gateway's own HTTP/1.1 client for the requests that carry no body.

Nearly every call through the gateway is a read without a body (pages' data, 证书查验). Relaying
one through aiohttp's client cost a bare proxy 278 µs of CPU (request object, timers, cookie and
redirect machinery, stream readers); writing the request head in one ``write`` on a pooled
keep-alive connection and parsing the answer where it lands in ``data_received`` cost it ~100 µs
(measured, README design notes). Requests with a body keep going through aiohttp (``early_answers``: a
service's early refusal of an upload), so this client never has a body to send.

What it does, as any HTTP/1.1 client must:
* answers framed by ``Content-Length``, ``Transfer-Encoding: chunked`` (trailers skipped) or the end
  of the connection; none for HEAD, 1xx, 204 and 304; interim 1xx answers skipped;
* bodies streamed as they arrive, with back-pressure (reading pauses above ``HIGH_WATER`` bytes
  buffered and resumes as the relay takes them);
* a connection goes back to the pool only after a complete answer that allows keep-alive, never one
  left mid-body, one the service closed or one that said ``Connection: close``; idle ones older than
  ``upstream_keepalive_seconds`` are closed, not reused;
* at most ``upstream_pool_size`` connections at a time (others wait for one);
* a pooled connection the service had closed before answering raises ``StaleConnectionError`` (the
  seam retries a safe request once); a malformed answer ``UpstreamProtocolError``; a read that waits
  longer than ``upstream_timeout`` (or the exchange's ``time_limit``) ``TimeoutError``.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import cast
from urllib.parse import urlsplit

from .settings import GatewaySettings

__all__ = ["HIGH_WATER", "MAX_HEAD_BYTES", "KeepAliveClient", "StaleConnectionError", "UpstreamProtocolError"]

MAX_HEAD_BYTES = 64 * 1024
"""The longest status line and headers accepted from a service."""
HIGH_WATER = 256 * 1024
"""Bytes buffered from a service before reading pauses until the relay has taken them."""
_NO_BODY_STATUS = frozenset({204, 304})
_HEX_DIGITS = b"0123456789abcdefABCDEF"


class StaleConnectionError(ConnectionError):
    """A pooled connection was closed by the service before any byte of the answer arrived."""


class UpstreamProtocolError(ConnectionError):
    """The service's answer is not well-formed HTTP/1.1 (or a header to send is not)."""


class _Connection(asyncio.Protocol):
    """One keep-alive connection: what arrived (``buffer``), whether the service closed it, and a
    waiter woken by new data or the close."""

    def __init__(self) -> None:
        self.transport: asyncio.Transport | None = None
        self.buffer = bytearray()
        self.closed = False
        self.error: BaseException | None = None
        self.idle_since = 0.0
        self.used = False
        self._waiter: asyncio.Future[None] | None = None
        self._paused = False

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = cast("asyncio.Transport", transport)  # uvloop's is not an asyncio.Transport

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        if len(self.buffer) > HIGH_WATER and not self._paused and self.transport is not None:
            self._paused = True
            self.transport.pause_reading()
        self._wake()

    def eof_received(self) -> bool:
        self.closed = True
        self._wake()
        return False

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed = True
        self.error = exc
        self._wake()

    def _wake(self) -> None:
        if self._waiter is not None and not self._waiter.done():
            self._waiter.set_result(None)

    async def more(self, silence: float) -> None:
        """Wait for more bytes or the close; ``TimeoutError`` after ``silence`` seconds without any."""
        if self.closed:
            raise ConnectionError("the service closed the connection in the middle of its answer") from self.error
        if self._paused and self.transport is not None:
            self._paused = False
            self.transport.resume_reading()
        self._waiter = asyncio.get_running_loop().create_future()
        try:
            async with asyncio.timeout(silence):
                await self._waiter
        finally:
            self._waiter = None

    def take(self, limit: int) -> bytes:
        """Up to ``limit`` buffered bytes (resumes reading once the buffer has drained)."""
        chunk = bytes(self.buffer[:limit])
        del self.buffer[:limit]
        if self._paused and len(self.buffer) < HIGH_WATER // 2 and self.transport is not None:
            self._paused = False
            self.transport.resume_reading()
        return chunk

    def reusable(self) -> bool:
        return not self.closed and not self.buffer and self.transport is not None and not self.transport.is_closing()

    def close(self) -> None:
        if self.transport is not None:
            self.transport.close()


class _Origin:
    """``http://host:port`` split once: where to connect, the Host header, its idle connections."""

    __slots__ = ("host", "host_header", "idle", "port")

    def __init__(self, origin: str) -> None:
        parts = urlsplit(origin)
        if parts.scheme != "http" or not parts.hostname:
            raise ValueError(f"the keep-alive client speaks plain http only: {origin!r}")
        self.host = parts.hostname
        self.port = parts.port or 80
        self.host_header = parts.netloc.encode("latin-1")
        self.idle: list[_Connection] = []


def _split(url: str) -> tuple[str, str]:
    """``(origin, request target)`` of an absolute ``http://`` URL."""
    if not url.startswith("http://"):
        raise ValueError(f"the keep-alive client speaks plain http only: {url!r}")
    slash = url.find("/", 7)
    return (url, "/") if slash < 0 else (url[:slash], url[slash:])


def _head_block(method: str, target: str, host: bytes, headers: list[tuple[str, str]]) -> bytes:
    lines = [f"{method} {target} HTTP/1.1\r\n".encode("latin-1"), b"host: " + host + b"\r\n"]
    for name, value in headers:
        if "\r" in name or "\n" in name or "\r" in value or "\n" in value or ":" in name:
            raise UpstreamProtocolError("a header to forward contains a line break")
        lines.append(f"{name}: {value}\r\n".encode("latin-1"))
    lines.append(b"\r\n")
    return b"".join(lines)


def _parse_head(head: bytes) -> tuple[int, bool, list[tuple[bytes, bytes]]]:
    """``(status, http/1.1, raw headers)`` of a status line and its headers."""
    lines = head.split(b"\r\n")
    version, _, rest = lines[0].partition(b" ")
    code = rest[:3]
    if not version.startswith(b"HTTP/1.") or len(code) != 3 or not code.isdigit():
        raise UpstreamProtocolError("the service's status line is malformed")
    headers: list[tuple[bytes, bytes]] = []
    for line in lines[1:]:
        name, sep, value = line.partition(b":")
        if not sep or not name or name != name.strip():
            raise UpstreamProtocolError("a header line of the service's answer is malformed")
        headers.append((name, value.strip()))
    return int(code), version == b"HTTP/1.1", headers


class _Framing:
    """How the body of one answer ends: ``length`` bytes, ``chunked``, or at the close (``None``)."""

    __slots__ = ("chunked", "keep_alive", "length")

    def __init__(self, method: str, status: int, http11: bool, headers: list[tuple[bytes, bytes]]) -> None:
        lengths = []
        encodings: list[bytes] = []
        tokens: list[bytes] = []
        for name, value in headers:
            lowered = name.lower()
            if lowered == b"content-length":
                lengths.append(value)
            elif lowered == b"transfer-encoding":
                encodings.extend(part.strip().lower() for part in value.split(b","))
            elif lowered == b"connection":
                tokens.extend(part.strip().lower() for part in value.split(b","))
        self.keep_alive = http11 and b"close" not in tokens
        self.chunked = bool(encodings)
        self.length: int | None = None
        if method == "HEAD" or status in _NO_BODY_STATUS:
            self.chunked = False
            self.length = 0
        elif encodings:
            if encodings[-1] != b"chunked":
                raise UpstreamProtocolError("the service's transfer coding is not supported")
        elif lengths:
            if len(set(lengths)) != 1 or not lengths[0].isdigit():
                raise UpstreamProtocolError("the service's Content-Length is malformed")
            self.length = int(lengths[0])
        else:
            self.keep_alive = False  # the body ends when the service closes the connection


class _Exchange:
    """One answer being read off ``conn``: its body as chunks; ``complete`` once read to the end."""

    def __init__(self, conn: _Connection, framing: _Framing, read_timeout: float) -> None:
        self.conn = conn
        self.framing = framing
        self.timeout = read_timeout
        self.complete = False

    async def chunks(self) -> AsyncIterator[bytes]:
        if self.framing.chunked:
            async for chunk in self._chunked():
                yield chunk
        elif self.framing.length is not None:
            async for chunk in self._sized(self.framing.length):
                yield chunk
        else:
            async for chunk in self._until_close():
                yield chunk
        self.complete = True

    async def _sized(self, length: int) -> AsyncIterator[bytes]:
        conn = self.conn
        while length:
            if not conn.buffer:
                await conn.more(self.timeout)
                continue
            chunk = conn.take(length)
            length -= len(chunk)
            yield chunk

    async def _until_close(self) -> AsyncIterator[bytes]:
        conn = self.conn
        while True:
            if conn.buffer:
                yield conn.take(len(conn.buffer))
            elif conn.closed:
                if conn.error is not None:
                    raise ConnectionError("the service's answer broke off") from conn.error
                return
            else:
                await conn.more(self.timeout)

    async def _line(self) -> bytes:
        conn = self.conn
        while (end := conn.buffer.find(b"\r\n")) < 0:
            if len(conn.buffer) > MAX_HEAD_BYTES:
                raise UpstreamProtocolError("a chunk header of the service's answer is too long")
            await conn.more(self.timeout)
        return conn.take(end + 2)[:-2]

    async def _chunked(self) -> AsyncIterator[bytes]:
        while True:
            size_text = (await self._line()).partition(b";")[0].strip()
            if not size_text or size_text.strip(_HEX_DIGITS) or len(size_text) > 16:
                raise UpstreamProtocolError("a chunk size of the service's answer is malformed")
            size = int(size_text, 16)
            if size == 0:
                while await self._line():  # trailers, up to the empty line
                    pass
                return
            async for chunk in self._sized(size):
                yield chunk
            while len(self.conn.buffer) < 2:
                await self.conn.more(self.timeout)
            if self.conn.take(2) != b"\r\n":
                raise UpstreamProtocolError("a chunk of the service's answer does not end with CRLF")


Opened = tuple[int, list[tuple[bytes, bytes]], AsyncIterator[bytes], Callable[[bool], Awaitable[None]]]


class KeepAliveClient:
    """Requests without a body over pooled keep-alive connections (behind ``upstreams``' seam)."""

    def __init__(self, settings: GatewaySettings) -> None:
        self._connect_timeout = settings.upstream_connect_timeout
        self._read_timeout = settings.upstream_timeout
        self._keepalive = settings.upstream_keepalive_seconds
        self._slots = asyncio.Semaphore(settings.upstream_pool_size)
        self._origins: dict[str, _Origin] = {}
        self._busy: set[_Connection] = set()

    async def open(self, method: str, url: str, *, headers: list[tuple[str, str]], time_limit: float | None) -> Opened:
        """Send ``method url`` (absolute ``http://`` URL); return once the answer's head arrived:
        ``(status, raw headers, body chunks, close(complete))``; ``close`` must be awaited once."""
        key, target = _split(url)
        origin = self._origins.get(key)
        if origin is None:
            origin = self._origins[key] = _Origin(key)
        block = _head_block(method, target, origin.host_header, headers)
        read_timeout = time_limit or self._read_timeout
        await self._slots.acquire()
        conn: _Connection | None = None
        try:
            conn = await self._connection(origin, time_limit)
            assert conn.transport is not None
            conn.transport.write(block)
            status, http11, raw = await self._head(conn, read_timeout)
            framing = _Framing(method, status, http11, raw)
        except BaseException:
            if conn is not None:
                self._busy.discard(conn)
                conn.close()
            self._slots.release()
            raise
        exchange = _Exchange(conn, framing, read_timeout)
        released = False

        async def close(complete: bool) -> None:
            nonlocal released
            if released:
                return
            released = True
            self._busy.discard(exchange.conn)
            if complete and exchange.complete and framing.keep_alive and exchange.conn.reusable():
                exchange.conn.idle_since = time.monotonic()
                origin.idle.append(exchange.conn)
            else:
                exchange.conn.close()
            self._slots.release()

        return status, raw, exchange.chunks(), close

    async def _connection(self, origin: _Origin, time_limit: float | None) -> _Connection:
        """The most recently used idle connection still open and fresh, else a new one."""
        now = time.monotonic()
        while origin.idle:
            conn = origin.idle.pop()
            if conn.reusable() and now - conn.idle_since < self._keepalive:
                self._busy.add(conn)
                return conn
            conn.close()
        loop = asyncio.get_running_loop()
        async with asyncio.timeout(min(self._connect_timeout, time_limit or self._connect_timeout)):
            _, conn = await loop.create_connection(_Connection, origin.host, origin.port)
        self._busy.add(conn)
        return conn

    async def _head(self, conn: _Connection, silence: float) -> tuple[int, bool, list[tuple[bytes, bytes]]]:
        """The answer's status line and headers (interim 1xx answers skipped)."""
        reused = conn.used
        conn.used = True
        while True:
            end = conn.buffer.find(b"\r\n\r\n", 0, MAX_HEAD_BYTES)
            if end < 0:
                if len(conn.buffer) >= MAX_HEAD_BYTES:
                    raise UpstreamProtocolError("the service's answer head is too long")
                if conn.closed and not conn.buffer and reused:
                    raise StaleConnectionError("the service had closed the pooled connection")
                await conn.more(silence)
                continue
            status, http11, raw = _parse_head(conn.take(end + 4)[:-4])
            if 100 <= status < 200 and status != 101:
                continue
            return status, http11, raw

    async def close(self) -> None:
        for origin in self._origins.values():
            for conn in origin.idle:
                conn.close()
            origin.idle.clear()
        for conn in self._busy:
            conn.close()
        self._busy.clear()
