"""Uploads through a real gateway to a real upstream: the body limit and early answers.

* The gateway refuses a body over ``UPLOAD_MAX_BYTES`` + ``UPLOAD_ENVELOPE_BYTES`` with 413
  ``file_too_large`` itself and stops reading it: a 50 MB upload never reaches the service in full,
  whether its ``Content-Length`` says so up front (nothing is forwarded) or it comes chunked (the
  service sees at most the limit plus one chunk, then the request breaks off).
* A service that refuses an upload before reading it (413/415 from the headers or the first bytes)
  gets its answer to the client, never a 502, and the gateway's pool stays healthy afterwards.

The 50 MB uploads are sent from a plain socket: a client that stops at the first failed write
would not see the answer the gateway sent while it was still writing (a browser does see it).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import socket
import threading
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import httpx
import msgspec
import pytest
from litestar import Litestar, Request, Response, get, post
from litestar.params import FromPath

from gateway.csrf import NONCE_COOKIE
from tests.fixtures.portal_forms import csrf_in
from tests.fixtures.waiting import eventually

TRANSPORTS = ["keepalive", "aiohttp", "httpx"]
CHUNK = 64 * 1024
FIFTY_MB = 50 * 1024 * 1024
FILE_LIMIT = 2 * 1024 * 1024
TOO_LARGE = {
    "code": "file_too_large",
    "message": "单个文件大小不能超过2MB",
    "details": {"field": "$.file", "max_bytes": FILE_LIMIT},
}
REFUSALS = {
    "headers": (413, {"code": "file_too_large", "message": "单个文件大小不能超过2MB", "details": None}),
    "first-bytes": (415, {"code": "content_mismatch", "message": "文件内容与扩展名不符", "details": None}),
}


# --- the upstream: counts what reaches it, or refuses before reading ---------------------------


@dataclass
class Intake:
    """What reached the upload service (it runs in the test's event loop)."""

    received: int = 0
    """Body bytes read, over every request."""
    complete: int = 0
    """Requests whose whole body it read."""
    ended: int = 0
    """Requests it has finished with, complete or broken off."""
    lengths: list[int] = field(default_factory=list)


def upload_app(intake: Intake) -> Litestar:
    @post("/count")
    async def count(request: Request[Any, Any, Any]) -> Response[dict[str, int]]:
        length = 0
        try:
            async for chunk in request.stream():
                length += len(chunk)
                intake.received += len(chunk)
            intake.complete += 1
            intake.lengths.append(length)
        finally:
            intake.ended += 1
        return Response({"length": length}, status_code=201)

    @post("/refuse/{how:str}")
    async def refuse(how: FromPath[str], request: Request[Any, Any, Any]) -> Response[dict[str, Any]]:
        """Refuses as the documents service does: by the declared size, or by the first bytes."""
        if how == "first-bytes":
            async for _ in request.stream():
                break
        status, body = REFUSALS[how]
        return Response(body, status_code=status)

    @get("/ping")
    async def ping() -> dict[str, str]:
        return {"status": "ok"}

    return Litestar([count, refuse, ping], debug=False, request_max_body_size=None)


@pytest.fixture
def intake() -> Intake:
    return Intake()


@pytest.fixture
async def uploads(server: Callable[[Any], AbstractAsyncContextManager[str]], intake: Intake) -> AsyncIterator[str]:
    async with server(upload_app(intake)) as url:
        yield url


@asynccontextmanager
async def visitor(gateway: Any) -> AsyncIterator[tuple[httpx.AsyncClient, dict[str, str]]]:
    """An anonymous visitor (cookies kept by the client) and the page's CSRF header for state changes."""
    async with gateway.client() as client:
        yield client, {"x-csrf-token": csrf_in((await client.get("/login")).text)}


def raw_headers(client: httpx.AsyncClient, csrf: dict[str, str], **headers: str) -> dict[str, str]:
    """The headers of a state change sent from a plain socket: CSRF token, nonce cookie, ``headers``."""
    return {**csrf, "cookie": f"{NONCE_COOKIE}={client.cookies[NONCE_COOKIE]}", **headers}


# --- a plain-socket client for the 50 MB uploads -----------------------------------------------


@dataclass
class RawAnswer:
    status: int
    body: bytes
    sent: int
    """Body bytes the client got out before the gateway stopped taking them."""


def raw_post(url: str, path: str, headers: dict[str, str], body: Iterator[bytes], *, chunked: bool) -> RawAnswer:
    """POST ``body`` over one socket, writing until the peer stops taking it, while reading the answer."""
    address = urlsplit(url)
    sock = socket.create_connection((address.hostname or "127.0.0.1", address.port or 80), timeout=30)
    answer = bytearray()

    def read() -> None:
        try:
            while data := sock.recv(65536):
                answer.extend(data)
        except OSError:
            pass
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_WR)  # the answer is in: stop the writer too

    reader = threading.Thread(target=read)
    head = [f"POST {path} HTTP/1.1", f"Host: {address.netloc}", *(f"{k}: {v}" for k, v in headers.items())]
    sent = 0
    try:
        sock.sendall(("\r\n".join(head) + "\r\n\r\n").encode("latin-1"))
        reader.start()
        for block in body:
            sock.sendall(b"%x\r\n%s\r\n" % (len(block), block) if chunked else block)
            sent += len(block)
        sock.sendall(b"0\r\n\r\n" if chunked else b"")
    except OSError:
        pass
    finally:
        reader.join(30)
        sock.close()
    status_line, _, rest = bytes(answer).partition(b"\r\n")
    return RawAnswer(status=int(status_line.split()[1]), body=rest.partition(b"\r\n\r\n")[2], sent=sent)


def fifty_megabytes() -> Iterator[bytes]:
    block = os.urandom(CHUNK)
    for _ in range(FIFTY_MB // CHUNK):
        yield block


# --- the limit ---------------------------------------------------------------------------------


@pytest.mark.parametrize("transport", TRANSPORTS)
async def test_a_50_mb_upload_with_its_length_declared_is_refused_before_anything_is_forwarded(
    launch, uploads, intake, transport
) -> None:
    gateway = await launch(documents=uploads, gateway_transport=transport)
    async with visitor(gateway) as (client, csrf):
        headers = raw_headers(client, csrf, **{"content-type": "image/jpeg", "content-length": str(FIFTY_MB)})
        answer = await asyncio.to_thread(
            raw_post, gateway.url, "/api/documents/count", headers, fifty_megabytes(), chunked=False
        )

    assert answer.status == 413
    assert msgspec.json.decode(answer.body) == TOO_LARGE
    assert answer.sent < FIFTY_MB  # the gateway stopped taking the body
    assert intake.received == 0
    assert intake.ended == 0  # the service was never asked


@pytest.mark.parametrize("transport", TRANSPORTS)
async def test_a_chunked_50_mb_upload_is_broken_off_once_past_the_limit(launch, uploads, intake, transport) -> None:
    gateway = await launch(documents=uploads, gateway_transport=transport)
    limit = gateway.settings.upload_max_bytes + gateway.settings.upload_envelope_bytes
    async with visitor(gateway) as (client, csrf):
        headers = raw_headers(client, csrf, **{"content-type": "image/jpeg", "transfer-encoding": "chunked"})
        answer = await asyncio.to_thread(
            raw_post, gateway.url, "/api/documents/count", headers, fifty_megabytes(), chunked=True
        )
    await eventually(lambda: _true(intake.ended == 1))

    assert answer.status == 413
    assert msgspec.json.decode(answer.body) == TOO_LARGE
    assert answer.sent < FIFTY_MB
    assert 0 < intake.received <= limit + CHUNK  # it streamed, and stopped at the limit
    assert intake.complete == 0  # the service never saw a complete body


@pytest.mark.parametrize("transport", TRANSPORTS)
async def test_a_2_mb_file_with_its_multipart_envelope_passes_the_gateway(launch, uploads, intake, transport) -> None:
    gateway = await launch(documents=uploads, gateway_transport=transport)
    long_name = "扫描件" * 80 + ".jpg"
    async with visitor(gateway) as (client, headers):
        response = await client.post(
            "/api/documents/count",
            files={"file": (long_name, os.urandom(FILE_LIMIT), "image/jpeg")},
            data={"purpose": "营业执照"},
            headers=headers,
        )

    assert response.status_code == 201, response.text
    assert intake.lengths == [response.json()["length"]]
    assert FILE_LIMIT < intake.lengths[0] <= gateway.settings.upload_max_bytes + gateway.settings.upload_envelope_bytes


async def test_the_limit_is_a_setting_and_its_message_says_it(launch, uploads, intake) -> None:
    gateway = await launch(documents=uploads, upload_max_bytes=512 * 1024, upload_envelope_bytes=0)
    async with visitor(gateway) as (client, headers):
        refused = await client.post("/api/documents/count", content=b"x" * (512 * 1024 + 1), headers=headers)
        taken = await client.post("/api/documents/count", content=b"x" * (512 * 1024), headers=headers)

    assert refused.status_code == 413
    assert refused.json() == {
        "code": "file_too_large",
        "message": "单个文件大小不能超过0.5MB",
        "details": {"field": "$.file", "max_bytes": 512 * 1024},
    }
    assert taken.status_code == 201
    assert intake.lengths == [512 * 1024]


# --- early answers -----------------------------------------------------------------------------


async def test_a_burst_of_early_refused_uploads_gets_every_refusal_and_leaves_the_pool_healthy(
    launch, uploads, intake
) -> None:
    gateway = await launch(documents=uploads)  # aiohttp (the httpx comparison transport loses these answers)
    answers: list[tuple[str, int, dict[str, Any]]] = []
    async with visitor(gateway) as (client, headers):

        async def upload(number: int) -> None:
            how = "headers" if number % 2 else "first-bytes"
            scan = os.urandom(1_000_000 + number * 25_000)  # ~1–2 MB
            response = await client.post(
                f"/api/documents/refuse/{how}",
                files={"file": (f"扫描件{number}.jpg", scan, "image/jpeg")},
                data={"purpose": "申请书"},
                headers=headers,
            )
            answers.append((how, response.status_code, response.json()))

        for first in range(0, 40, 8):  # one after another, then eight at once, in turns
            if first % 16:
                await asyncio.gather(*(upload(number) for number in range(first, first + 8)))
            else:
                for number in range(first, first + 8):
                    await upload(number)
        pings = [(await client.get("/api/documents/ping")).status_code for _ in range(10)]
        stored = [await client.post("/api/documents/count", content=b"x" * 1000, headers=headers) for _ in range(10)]

    assert len(answers) == 40
    assert [(status, body) for how, status, body in answers] == [REFUSALS[how] for how, _, _ in answers]
    assert pings == [200] * 10
    assert [response.status_code for response in stored] == [201] * 10
    assert intake.lengths == [1000] * 10


@asynccontextmanager
async def one_shot_refuser() -> AsyncIterator[str]:
    """A service that, like granian at times, will not serve another request on a connection
    whose upload it refused, yet does not say ``Connection: close``: it closes the connection when
    the next request arrives on it. Anything it read in full it answers 201, keeping the connection."""

    async def serve_connection(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        refused = False
        with contextlib.suppress(asyncio.IncompleteReadError, ConnectionError):
            while head := await reader.readuntil(b"\r\n\r\n"):
                if refused:
                    break
                lines = head.decode("latin-1").lower().split("\r\n")
                length = next((int(line[15:]) for line in lines if line.startswith("content-length:")), 0)
                await reader.readexactly(length)
                refused = lines[0].split()[1].endswith("/refuse")
                body = b'{"code":"file_too_large"}' if refused else b'{"length":%d}' % length
                status = b"413 Payload Too Large" if refused else b"201 Created"
                writer.write(b"HTTP/1.1 %s\r\ncontent-length: %d\r\n\r\n%s" % (status, len(body), body))
                await writer.drain()
        writer.close()

    server = await asyncio.start_server(serve_connection, "127.0.0.1", 0)
    async with server:
        yield f"http://127.0.0.1:{server.sockets[0].getsockname()[1]}"


async def test_the_connection_of_a_refused_upload_is_never_reused(launch) -> None:
    async with one_shot_refuser() as url:
        gateway = await launch(documents=url, upstream_timeout=5.0)
        async with visitor(gateway) as (client, csrf):
            answers = []
            for _ in range(5):
                refused = await client.post("/api/documents/refuse", content=b"x" * 10_000, headers=csrf)
                taken = await client.post("/api/documents/count", content=b"y" * 1000, headers=csrf)
                answers += [refused.status_code, taken.status_code]

    assert answers == [413, 201] * 5  # never a 502 from a connection the service had given up


async def _true(value: bool) -> bool:
    return value
