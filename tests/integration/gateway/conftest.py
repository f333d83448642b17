"""Gateway fixtures: real HTTP servers (granian, embedded in the test's event loop).

The gateway forwards over real HTTP, so its upstreams listen on real ports:

* ``echo`` — a tiny Litestar service that reports what reached it (method, path, headers,
  the verified internal token's caller, a digest of the body) and serves large, slow and gated
  bodies for the streaming and timeout tests;
* ``identity`` — the real services/identity (PostgreSQL, NATS) on its own port; accounts are
  registered through its API (``await identity.register()``), its lockout is the real one
  (settings by indirect parametrization), and its login audit shows what reached it.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Any

import msgspec
import pytest
from litestar import Litestar, Request, Response, get, post, route
from litestar.params import FromPath
from litestar.response import Stream

from services.kernel import TokenVerifier
from tests.fixtures.servers import serve

BLOCK = bytes(range(256)) * 256  # 64 KiB of a known pattern


@pytest.fixture
def server() -> Callable[[Any], contextlib.AbstractAsyncContextManager[str]]:
    """``async with server(app) as url``: any ASGI app on a real port (see ``serve``)."""
    return serve


# --- the echo service ---------------------------------------------------------------------------


@dataclass
class Gates:
    """Events shared by a test and the echo service (they run in the same event loop)."""

    upload_started: asyncio.Event = field(default_factory=asyncio.Event)
    download_release: asyncio.Event = field(default_factory=asyncio.Event)
    hang_release: asyncio.Event = field(default_factory=asyncio.Event)


def echo_app(verifier: TokenVerifier, gates: Gates, *, readiness: str = "ready") -> Litestar:
    """``readiness``: what /readyz does — ``ready`` (200), ``degraded`` (503) or ``hang``."""

    @get("/readyz")
    async def readyz() -> Response[dict[str, str]]:
        if readiness == "hang":
            await asyncio.wait_for(gates.hang_release.wait(), 30)
        return Response({"status": readiness}, status_code=200 if readiness == "ready" else 503)

    @route("/echo/{rest:path}", http_method=["GET", "POST", "PUT", "PATCH", "DELETE"])
    async def echo(request: Request[Any, Any, Any]) -> Response[dict[str, Any]]:
        digest, length, chunks = hashlib.sha256(), 0, 0
        async for chunk in request.stream():
            digest.update(chunk)
            length += len(chunk)
            chunks += bool(chunk)
        token = request.headers.get("x-internal-token")
        caller = msgspec.to_builtins(verifier.verify(token)) if token else None
        body = {
            "method": request.method,
            "raw_path": request.scope.get("raw_path", b"").decode(),
            "query": request.scope.get("query_string", b"").decode(),
            "headers": [[k.decode("latin-1"), v.decode("latin-1")] for k, v in request.scope["headers"]],
            "caller": caller,
            "sha256": digest.hexdigest(),
            "length": length,
            "chunks": chunks,
        }
        headers = {"x-upstream": "echo", "set-cookie": "upstream=1; Path=/"}
        return Response(body, headers=headers, status_code=201 if request.method == "POST" else 200)

    @get("/download/{size:int}")
    async def download(size: FromPath[int]) -> Stream:
        async def blocks() -> AsyncIterator[bytes]:
            left = size
            while left > 0:
                yield BLOCK[: min(left, len(BLOCK))]
                left -= len(BLOCK)

        return Stream(blocks(), media_type="application/octet-stream")

    @get("/gated-download")
    async def gated_download() -> Stream:
        async def parts() -> AsyncIterator[bytes]:
            yield b"first-part;"
            await asyncio.wait_for(gates.download_release.wait(), 15)
            yield b"second-part"

        return Stream(parts(), media_type="text/plain")

    @post("/gated-upload")
    async def gated_upload(request: Request[Any, Any, Any]) -> dict[str, int]:
        length = 0
        async for chunk in request.stream():
            length += len(chunk)
            gates.upload_started.set()
        return {"length": length}

    @get("/hang")
    async def hang() -> dict[str, str]:
        await asyncio.wait_for(gates.hang_release.wait(), 30)
        return {"status": "late"}

    return Litestar(
        [readyz, echo, download, gated_download, gated_upload, hang], debug=False, request_max_body_size=None
    )


@pytest.fixture
async def gates() -> AsyncIterator[Gates]:
    gates = Gates()
    yield gates
    gates.download_release.set()
    gates.hang_release.set()


@pytest.fixture
async def echo(token_keys: tuple[str, str], gates: Gates) -> AsyncIterator[str]:
    async with serve(echo_app(TokenVerifier(token_keys[1]), gates)) as url:
        yield url


@pytest.fixture
async def unready_echo(token_keys: tuple[str, str], gates: Gates) -> AsyncIterator[str]:
    async with serve(echo_app(TokenVerifier(token_keys[1]), gates, readiness="degraded")) as url:
        yield url


@pytest.fixture
async def hanging_echo(token_keys: tuple[str, str], gates: Gates) -> AsyncIterator[str]:
    async with serve(echo_app(TokenVerifier(token_keys[1]), gates, readiness="hang")) as url:
        yield url
