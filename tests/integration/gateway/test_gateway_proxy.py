"""/api/<service>/… through a real gateway to a real upstream: forwarding, streaming, failures, headers."""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import AsyncIterator

import httpx
import pytest

from contracts.auth import Caller
from contracts.errors import ErrorBody
from services.kernel import TokenVerifier

TRANSPORTS = ["keepalive", "aiohttp", "httpx"]
BIG = 24 * 1024 * 1024 + 123  # not a multiple of any chunk size


def _headers(echoed: dict) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for name, value in echoed["headers"]:
        found.setdefault(name, []).append(value)
    return found


@pytest.mark.parametrize("transport", TRANSPORTS)
async def test_a_request_reaches_the_service_and_its_answer_comes_back(launch, echo, transport) -> None:
    gateway = await launch(applications=echo, gateway_transport=transport)
    async with gateway.client() as client:
        response = await client.get("/api/applications/echo/a%2Fb/c?x=1&y=%E4%B8%AD", headers={"x-custom": "kept"})

    assert response.status_code == 200
    echoed = response.json()
    assert echoed["method"] == "GET"
    assert echoed["raw_path"] == "/echo/a%2Fb/c"
    assert echoed["query"] == "x=1&y=%E4%B8%AD"
    assert _headers(echoed)["x-custom"] == ["kept"]
    assert echoed["length"] == 0
    assert response.headers["x-upstream"] == "echo"
    assert "set-cookie" not in response.headers  # only the gateway sets cookies


async def test_an_unknown_service_is_a_404_error_body(launch) -> None:
    gateway = await launch()
    async with gateway.client() as client:
        response = await client.get("/api/nosuch/thing")
        dotted = await client.get("/api/applications/%2e%2e/identity/me")
        smuggled = [
            await client.get(f"/api/identity/public/x{separator}..{separator}..{separator}me")
            for separator in ("%2F", "%2f", "%5C")
        ]

    assert response.status_code == 404
    assert response.json()["code"] == "unknown_service"
    assert dotted.status_code == 404
    assert [answer.status_code for answer in smuggled] == [404, 404, 404]  # never /me with the public token


@pytest.mark.parametrize("transport", TRANSPORTS)
async def test_a_large_body_streams_both_ways(launch, echo, transport, helpers) -> None:
    # a body above the upload limit (UPLOAD_MAX_BYTES) only streams through with the limit raised
    gateway = await launch(applications=echo, gateway_transport=transport, upload_max_bytes=BIG)
    payload = (bytes(range(256)) * 4096) * (BIG // (256 * 4096)) + b"tail" * 100

    async def upload() -> AsyncIterator[bytes]:
        for start in range(0, len(payload), 1 << 20):
            yield payload[start : start + (1 << 20)]

    async with gateway.client() as client:
        token = helpers.csrf_in((await client.get("/login")).text)
        up = await client.post("/api/applications/echo/upload", content=upload(), headers={"x-csrf-token": token})
        digest, length = hashlib.sha256(), 0
        async with client.stream("GET", f"/api/applications/download/{BIG}") as down:
            assert down.status_code == 200
            async for chunk in down.aiter_raw():
                digest.update(chunk)
                length += len(chunk)

    assert up.status_code == 201, up.text
    assert up.json()["length"] == len(payload)
    assert up.json()["sha256"] == hashlib.sha256(payload).hexdigest()
    assert up.json()["chunks"] > 1
    assert length == BIG
    expected = hashlib.sha256()
    for start in range(0, BIG, 65536):
        expected.update((bytes(range(256)) * 256)[: min(65536, BIG - start)])
    assert digest.hexdigest() == expected.hexdigest()


@pytest.mark.parametrize("transport", TRANSPORTS)
async def test_bodies_are_not_buffered(launch, echo, gates, transport, helpers) -> None:
    gateway = await launch(applications=echo, gateway_transport=transport)

    async def upload() -> AsyncIterator[bytes]:
        yield b"x" * 1000
        # the rest is sent only once the service has seen the first part: a buffering proxy deadlocks
        await asyncio.wait_for(gates.upload_started.wait(), 10)
        yield b"y" * 1000

    async with gateway.client() as client:
        token = helpers.csrf_in((await client.get("/login")).text)
        uploaded = await client.post(
            "/api/applications/gated-upload", content=upload(), headers={"x-csrf-token": token}
        )
        async with client.stream("GET", "/api/applications/gated-download") as down:
            chunks = down.aiter_raw()
            first = await anext(chunks)
            # the service sends its second part only after the client has the first one
            gates.download_release.set()
            rest = b"".join([chunk async for chunk in chunks])

    assert uploaded.json() == {"length": 2000}
    assert first == b"first-part;"
    assert rest == b"second-part"


@pytest.mark.parametrize("transport", TRANSPORTS)
async def test_an_unreachable_service_is_a_502_error_body(launch, transport) -> None:
    gateway = await launch(gateway_transport=transport)  # nothing listens at any upstream URL
    async with gateway.client() as client:
        response = await client.get("/api/registry/certificates")

    assert response.status_code == 502
    assert response.json() == {
        "code": "upstream_unavailable",
        "message": "服务暂时不可用，请稍后再试",
        "details": None,
    }


@pytest.mark.parametrize("transport", TRANSPORTS)
async def test_a_slow_service_is_a_504_error_body(launch, echo, transport) -> None:
    gateway = await launch(staffing=echo, gateway_transport=transport, upstream_timeout=0.3)
    async with gateway.client() as client:
        response = await client.get("/api/staffing/hang")

    assert response.status_code == 504
    assert response.json() == {"code": "upstream_timeout", "message": "服务响应超时，请稍后再试", "details": None}


@pytest.mark.parametrize("transport", TRANSPORTS)
async def test_client_identity_headers_never_reach_the_service(
    launch, echo, identity, portal, signer, transport
) -> None:
    gateway = await launch(identity=identity.url, documents=echo, gateway_transport=transport)
    forged = signer.sign(Caller(account_id="x", role="admin"))
    sneaky = {
        "x-internal-token": forged,
        "cookie": "sneaky=1",
        "authorization": "Bearer abc",
        "x-forwarded-for": "6.6.6.6",
        "connection": "x-hop",
        "x-hop": "hop-by-hop",
    }
    async with gateway.client() as client:
        anonymous = (await client.get("/api/documents/echo/files", headers=sneaky)).json()

    assert anonymous["caller"] is None
    headers = _headers(anonymous)
    for name in ("x-internal-token", "cookie", "authorization", "x-hop"):
        assert name not in headers
    assert headers["x-forwarded-for"] == ["127.0.0.1"]


async def test_the_service_receives_a_valid_token_for_the_sessions_caller(
    launch, echo, identity, unit_a, portal, token_keys
) -> None:
    gateway = await launch(identity=identity.url, documents=echo)
    visitor = portal(gateway)
    assert (await visitor.login(unit_a.username, unit_a.password)).status_code == 303

    response = await visitor.http.get(
        "/api/documents/echo/mine", headers={"x-internal-token": "forged", "traceparent": _TRACEPARENT}
    )

    echoed = response.json()
    caller = echoed["caller"]
    assert caller["account_id"] == unit_a.account_id
    assert caller["role"] == "unit"
    assert caller["unit_id"] == unit_a.unit_id
    assert caller["username"] == unit_a.username
    tokens = _headers(echoed)["x-internal-token"]
    assert len(tokens) == 1
    assert TokenVerifier(token_keys[1]).verify(tokens[0]).account_id == unit_a.account_id
    assert "cookie" not in _headers(echoed)
    # the trace continues: same trace id, the gateway's own span as parent
    traceparent = _headers(echoed)["traceparent"][0]
    assert traceparent.split("-")[1] == _TRACEPARENT.split("-")[1]
    assert traceparent.split("-")[2] != _TRACEPARENT.split("-")[2]


_TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"


async def test_an_anonymous_call_carries_no_token_and_the_service_decides(launch, identity, helpers) -> None:
    gateway = await launch(identity=identity.url)
    async with httpx.AsyncClient(base_url=gateway.url) as client:
        response = await client.get("/api/identity/me")

    assert response.status_code == 401
    assert helpers.error_of(response) == ErrorBody(code="missing_token", message="缺少身份令牌，请先登录")
