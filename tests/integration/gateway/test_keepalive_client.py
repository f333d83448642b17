"""The gateway's keep-alive client against a scripted HTTP/1.1 server on a real socket: framing
(length, chunked, until close, none), connection reuse and its limits, stale connections,
malformed answers, silence, back-pressure and the pool's bound."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field

import pytest
import uvloop

from gateway.keepalive import KeepAliveClient, StaleConnectionError, UpstreamProtocolError
from gateway.settings import GatewaySettings
from gateway.upstreams import Upstreams
from services.kernel import UpstreamError
from services.kernel.settings import load_settings

Reply = Callable[[bytes, asyncio.StreamWriter], Awaitable[bool]]
"""Answers one request head; returns whether to keep reading requests on the connection."""


@dataclass
class Scripted:
    url: str
    connections: int = 0
    heads: list[bytes] = field(default_factory=list)
    writers: list[asyncio.StreamWriter] = field(default_factory=list)


@contextlib.asynccontextmanager
async def scripted(reply: Reply) -> AsyncIterator[Scripted]:
    state = Scripted(url="")

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        state.connections += 1
        state.writers.append(writer)
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                state.heads.append(head)
                if not await reply(head, writer):
                    break
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    state.url = f"http://127.0.0.1:{server.sockets[0].getsockname()[1]}"
    try:
        yield state
    finally:
        for writer in state.writers:
            writer.close()
        server.close()


def answer(*parts: bytes, keep: bool = True) -> Reply:
    async def reply(_: bytes, writer: asyncio.StreamWriter) -> bool:
        for part in parts:
            writer.write(part)
            await writer.drain()
        return keep

    return reply


def settings(identity: str | None = None, **fields: object) -> GatewaySettings:
    """Settings with ``fields`` overridden; ``identity``: the identity service's URL."""
    return load_settings(GatewaySettings, {"IDENTITY_URL": identity} if identity else {}, **fields)


async def fetch(client: KeepAliveClient, url: str, method: str = "GET") -> tuple[int, dict[bytes, bytes], bytes]:
    status, raw, chunks, close = await client.open(method, url, headers=[("x-a", "1")], time_limit=None)
    body = b"".join([chunk async for chunk in chunks])
    await close(True)
    return status, {name.lower(): value for name, value in raw}, body


OK = b"HTTP/1.1 200 OK\r\ncontent-length: 5\r\ncontent-type: text/plain\r\n\r\nhello"


async def test_a_keep_alive_connection_is_reused_and_the_request_head_is_as_sent() -> None:
    async with scripted(answer(OK)) as server:
        client = KeepAliveClient(settings())
        first = await fetch(client, server.url + "/a/b%2Fc?x=%E4%B8%AD")
        second = await fetch(client, server.url + "/next")
        await client.close()

    assert first == (200, {b"content-length": b"5", b"content-type": b"text/plain"}, b"hello")
    assert second[2] == b"hello"
    assert server.connections == 1
    assert server.heads[0].startswith(b"GET /a/b%2Fc?x=%E4%B8%AD HTTP/1.1\r\nhost: 127.0.0.1:")
    assert b"\r\nx-a: 1\r\n" in server.heads[0]


async def test_a_chunked_answer_is_decoded_even_when_it_arrives_byte_by_byte() -> None:
    wire = (
        b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n5;ext=1\r\nhello\r\n7\r\n, world\r\n0\r\nx-t: 1\r\n\r\n"
    )

    async def trickle(_: bytes, writer: asyncio.StreamWriter) -> bool:
        for index in range(len(wire)):
            writer.write(wire[index : index + 1])
            await writer.drain()
            await asyncio.sleep(0)
        return True

    async with scripted(trickle) as server:
        client = KeepAliveClient(settings())
        status, _, body = await fetch(client, server.url + "/")
        again = await fetch(client, server.url + "/")
        await client.close()

    assert (status, body, again[2]) == (200, b"hello, world", b"hello, world")
    assert server.connections == 1  # the trailers were read: the connection was clean for reuse


async def test_a_body_ended_by_the_close_is_read_whole_and_its_connection_not_reused() -> None:
    async with scripted(answer(b"HTTP/1.1 200 OK\r\n\r\nuntil the end", keep=False)) as server:
        client = KeepAliveClient(settings())
        first = await fetch(client, server.url + "/")
        second = await fetch(client, server.url + "/")
        await client.close()

    assert first[2] == second[2] == b"until the end"
    assert server.connections == 2


async def test_connection_close_http_1_0_head_204_and_304() -> None:
    replies = iter(
        [
            b"HTTP/1.1 200 OK\r\nconnection: close\r\ncontent-length: 2\r\n\r\nok",
            b"HTTP/1.0 200 OK\r\ncontent-length: 2\r\n\r\nok",
            b"HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\n",  # HEAD: the length of what GET would send
            b"HTTP/1.1 204 No Content\r\n\r\n",
            b"HTTP/1.1 304 Not Modified\r\ncontent-length: 9\r\n\r\n",
            OK,
        ]
    )

    async def reply(_: bytes, writer: asyncio.StreamWriter) -> bool:
        writer.write(next(replies))
        await writer.drain()
        return True

    async with scripted(reply) as server:
        client = KeepAliveClient(settings())
        closing = await fetch(client, server.url + "/")
        old = await fetch(client, server.url + "/")
        head = await fetch(client, server.url + "/", method="HEAD")
        empty = await fetch(client, server.url + "/")
        unchanged = await fetch(client, server.url + "/")
        last = await fetch(client, server.url + "/")
        await client.close()

    assert [closing[2], old[2], head[2], empty[2], unchanged[2], last[2]] == [b"ok", b"ok", b"", b"", b"", b"hello"]
    assert (head[0], empty[0], unchanged[0]) == (200, 204, 304)
    assert server.connections == 3  # new after "close" and after HTTP/1.0; HEAD/204/304 kept theirs


async def test_an_interim_answer_is_skipped() -> None:
    async with scripted(answer(b"HTTP/1.1 103 Early Hints\r\nlink: </a>\r\n\r\n" + OK)) as server:
        client = KeepAliveClient(settings())
        status, headers, body = await fetch(client, server.url + "/")
        await client.close()

    assert (status, body, b"link" in headers) == (200, b"hello", False)


async def test_a_pooled_connection_the_service_closed_is_stale_and_the_seam_retries_a_get() -> None:
    async with scripted(answer(OK)) as server:
        client = KeepAliveClient(settings())
        await fetch(client, server.url + "/")
        for writer in server.writers:  # the service drops its idle connection...
            writer.transport.abort()
        await asyncio.sleep(0.05)
        fresh = await fetch(client, server.url + "/")  # ...seen closed in the pool: a new one
        await client.close()

    assert fresh[2] == b"hello"
    assert server.connections == 2


async def test_a_connection_closed_while_the_request_is_on_its_way_is_stale() -> None:
    async def close_at_once(_: bytes, writer: asyncio.StreamWriter) -> bool:
        writer.transport.abort()
        return False

    replies: list[Reply] = [answer(OK), close_at_once]

    async def reply(head: bytes, writer: asyncio.StreamWriter) -> bool:
        return await (replies.pop(0) if replies else answer(OK))(head, writer)

    async with scripted(reply) as server:
        client = KeepAliveClient(settings())
        await fetch(client, server.url + "/")
        with pytest.raises(StaleConnectionError):
            await fetch(client, server.url + "/")
        await client.close()

    replies[:] = [answer(OK), close_at_once]
    async with scripted(reply) as server:
        upstreams = Upstreams(settings(server.url))
        await upstreams.start()
        try:
            first = await upstreams.open("identity", "GET", "/", headers=[])
            await first.read()
            retried = await upstreams.open("identity", "GET", "/", headers=[])
            assert (retried.status, await retried.read()) == (200, b"hello")
        finally:
            await upstreams.close()


@pytest.mark.parametrize(
    "wire",
    [
        b"SMTP ready\r\n\r\n",
        b"HTTP/1.1 2x0 OK\r\n\r\n",
        b"HTTP/1.1 200 OK\r\nno colon here\r\n\r\n",
        b"HTTP/1.1 200 OK\r\ncontent-length: 1\r\ncontent-length: 2\r\n\r\n",
        b"HTTP/1.1 200 OK\r\ncontent-length: -1\r\n\r\n",
        b"HTTP/1.1 200 OK\r\ntransfer-encoding: gzip\r\n\r\n",
        b"HTTP/1.1 200 OK\r\nx: " + b"a" * 70_000 + b"\r\n\r\n",
        b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\nzz\r\n",
        b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n-1\r\n",
        b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n0x1_0\r\n",
        b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n2\r\nabXY",
    ],
    ids=lambda wire: wire[:40].decode("latin-1"),
)
async def test_a_malformed_answer_is_a_protocol_error_not_a_hang(wire: bytes) -> None:
    async with scripted(answer(wire)) as server:
        client = KeepAliveClient(settings(upstream_timeout=2.0))
        with pytest.raises(UpstreamProtocolError):
            await fetch(client, server.url + "/")
        await client.close()


async def test_a_body_cut_short_fails_while_reading() -> None:
    async with scripted(answer(b"HTTP/1.1 200 OK\r\ncontent-length: 10\r\n\r\nhalf", keep=False)) as server:
        client = KeepAliveClient(settings())
        with pytest.raises(ConnectionError):
            await fetch(client, server.url + "/")
        await client.close()


async def test_a_header_with_a_line_break_is_never_sent() -> None:
    async with scripted(answer(OK)) as server:
        client = KeepAliveClient(settings())
        for name, value in (("x-a", "1\r\nx-injected: 1"), ("x-a\nx-b", "1"), ("x:a", "1")):
            with pytest.raises(UpstreamProtocolError):
                await client.open("GET", server.url + "/", headers=[(name, value)], time_limit=None)
        assert (await fetch(client, server.url + "/"))[2] == b"hello"  # no slot was lost
        await client.close()

    assert all(b"x-injected" not in head for head in server.heads)


async def test_silence_is_a_timeout_and_the_seam_maps_it_to_504() -> None:
    async def silent(_: bytes, writer: asyncio.StreamWriter) -> bool:
        await asyncio.sleep(5)
        return False

    async with scripted(silent) as server:
        client = KeepAliveClient(settings(upstream_timeout=0.2))
        with pytest.raises(TimeoutError):
            await fetch(client, server.url + "/")
        await client.close()
        upstreams = Upstreams(settings(server.url, upstream_timeout=0.2))
        await upstreams.start()
        try:
            with pytest.raises(UpstreamError) as refused:
                await upstreams.open("identity", "GET", "/", headers=[])
        finally:
            await upstreams.close()

    assert refused.value.status_code == 504


async def test_an_answer_left_mid_body_closes_its_connection() -> None:
    big = b"HTTP/1.1 200 OK\r\ncontent-length: 1000000\r\n\r\n" + b"x" * 1_000_000
    async with scripted(answer(big)) as server:
        client = KeepAliveClient(settings())
        _, _, chunks, close = await client.open("GET", server.url + "/", headers=[], time_limit=None)
        async for _chunk in chunks:
            break
        await close(False)
        again = await fetch(client, server.url + "/")
        await client.close()

    assert len(again[2]) == 1_000_000
    assert server.connections == 2


async def test_a_large_body_streams_through_back_pressure_intact() -> None:
    body = bytes(range(256)) * 40_000  # ~10 MB, forty times the high-water mark
    wire = b"HTTP/1.1 200 OK\r\ncontent-length: %d\r\n\r\n" % len(body) + body
    async with scripted(answer(wire)) as server:
        client = KeepAliveClient(settings())
        _, _, chunks, close = await client.open("GET", server.url + "/", headers=[], time_limit=None)
        received = bytearray()
        async for chunk in chunks:
            received += chunk
            await asyncio.sleep(0)  # a slow reader
        await close(True)
        await client.close()

    assert bytes(received) == body


async def test_the_pool_bound_makes_requests_wait_for_a_connection() -> None:
    gate = asyncio.Event()

    async def gated(_: bytes, writer: asyncio.StreamWriter) -> bool:
        await gate.wait()
        writer.write(OK)
        await writer.drain()
        return True

    async with scripted(gated) as server:
        client = KeepAliveClient(settings(upstream_pool_size=1))
        first = asyncio.create_task(fetch(client, server.url + "/"))
        second = asyncio.create_task(fetch(client, server.url + "/"))
        await asyncio.sleep(0.1)
        waiting = (server.connections, len(server.heads))
        gate.set()
        results = await asyncio.gather(first, second)
        await client.close()

    assert waiting == (1, 1)  # the second request had no connection while the first held the only one
    assert [result[2] for result in results] == [b"hello", b"hello"]
    assert server.connections == 1


async def test_an_idle_connection_past_the_keep_alive_period_is_not_reused() -> None:
    async with scripted(answer(OK)) as server:
        client = KeepAliveClient(settings(upstream_keepalive_seconds=0.1))
        await fetch(client, server.url + "/")
        await asyncio.sleep(0.2)
        await fetch(client, server.url + "/")
        await client.close()

    assert server.connections == 2


@pytest.mark.parametrize(
    "scenario",
    [
        test_a_keep_alive_connection_is_reused_and_the_request_head_is_as_sent,
        test_a_chunked_answer_is_decoded_even_when_it_arrives_byte_by_byte,
        test_connection_close_http_1_0_head_204_and_304,
        test_a_pooled_connection_the_service_closed_is_stale_and_the_seam_retries_a_get,
        test_a_large_body_streams_through_back_pressure_intact,
        test_an_answer_left_mid_body_closes_its_connection,
    ],
    ids=lambda scenario: scenario.__name__.removeprefix("test_"),
)
def test_on_uvloop(scenario: Callable[[], Awaitable[None]]) -> None:
    """The services' loop (granian picks uvloop): its transports are not ``asyncio.Transport``s."""
    uvloop.run(scenario())
