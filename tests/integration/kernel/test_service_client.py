"""The kernel's one ServiceClient against real services on real ports: tokens, traces, and the one
rule for refusals and failures."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from typing import Any

import msgspec
import pytest
from litestar import Request, Response, get, post
from litestar.params import JSONBody

from contracts.auth import Caller
from contracts.base import Request as RequestStruct
from contracts.base import Response as ResponseStruct
from deploy.local.components import free_port
from services.kernel import (
    BaseSettings,
    ConflictError,
    DomainError,
    ServiceClient,
    TokenMinter,
    TokenSigner,
    UpstreamError,
    caller_of,
    generate_keypair,
)
from tests.fixtures.apps import kernel_app
from tests.fixtures.servers import serve

STAFFING_PRIVATE, STAFFING_PUBLIC = generate_keypair()


class Question(RequestStruct):
    text: str


class Answer(ResponseStruct):
    echoed: str
    caller: Caller
    traceparent: str | None


@post("/answers", status_code=200)
async def answer(data: JSONBody[Question], request: Request[Any, Any, Any]) -> Answer:
    return Answer(echoed=data.text, caller=caller_of(request), traceparent=request.headers.get("traceparent"))


@get("/conflict", sync_to_thread=False)
def conflict() -> None:
    raise ConflictError("该人员已在「甲测绘院」登记", code="staffing.person_held", details={"holder": "甲测绘院"})


@get("/busy", sync_to_thread=False)
def busy() -> Response[dict[str, Any]]:
    body = {"code": "service_unavailable", "message": "服务暂时不可用，请稍后再试", "details": None}
    return Response(body, status_code=503, headers={"Retry-After": "3"})


@get("/boom", sync_to_thread=False)
def boom() -> None:
    raise RuntimeError("internal detail")


@get("/not-json", sync_to_thread=False)
def not_json() -> Response[str]:
    return Response("<html>", status_code=200, media_type="text/html")


@get("/slow")
async def slow() -> dict[str, str]:
    await asyncio.sleep(5)
    return {"late": "yes"}


@pytest.fixture
async def standards(settings_for: Callable[..., BaseSettings]) -> AsyncIterator[str]:
    """A service named ``standards`` that accepts the staffing service's own key."""
    settings = settings_for(service="standards", service_token_public_keys=f"staffing={STAFFING_PUBLIC}")
    routes = [answer, conflict, busy, boom, not_json, slow]
    async with serve(kernel_app(settings, routes, database=False, nats=False)) as url:
        yield url


@pytest.fixture
async def client(standards: str) -> AsyncIterator[ServiceClient]:
    """The staffing service's client (it signs its system tokens with its own key)."""
    signer = TokenSigner(STAFFING_PRIVATE, issuer="staffing")
    nowhere = f"http://127.0.0.1:{free_port()}"
    client = ServiceClient(
        urls={"standards": standards, "documents": nowhere},
        minter=TokenMinter.for_signer(signer, 3),
        timeout=1.0,
    )
    await client.start()
    yield client
    await client.aclose()


async def test_a_call_carries_the_system_token_and_the_trace(client: ServiceClient) -> None:
    got = await client.call("standards", "POST", "/answers", body=Question(text="你好"), response_type=Answer)

    assert got.echoed == "你好"
    assert got.caller == Caller(account_id="service:staffing", role="system")
    assert got.traceparent is not None and got.traceparent.startswith("00-")


async def test_a_callers_token_is_forwarded_as_it_is(client: ServiceClient, signer: TokenSigner) -> None:
    unit = Caller(account_id="a1", role="unit", unit_id="u1")
    token = signer.sign(unit, audience=["staffing", "standards"])

    got = await client.call("standards", "POST", "/answers", body=Question(text="x"), response_type=Answer, token=token)

    assert got.caller == unit


async def test_a_token_for_another_audience_is_refused_with_the_services_words(
    client: ServiceClient, signer: TokenSigner
) -> None:
    token = signer.sign(Caller(account_id="a1", role="unit", unit_id="u1"), audience=["identity"])

    with pytest.raises(DomainError) as refused:
        await client.call("standards", "POST", "/answers", body=Question(text="x"), response_type=Answer, token=token)
    assert (refused.value.status_code, refused.value.code) == (401, "wrong_audience")


async def test_a_refusal_keeps_status_code_message_and_details(client: ServiceClient) -> None:
    with pytest.raises(ConflictError) as refused:
        await client.call("standards", "GET", "/conflict", response_type=Answer)

    error = refused.value
    assert (error.status_code, error.code, error.message) == (409, "staffing.person_held", "该人员已在「甲测绘院」登记")
    assert error.details == {"holder": "甲测绘院"}


async def test_an_unavailable_service_is_503_with_its_retry_after(client: ServiceClient) -> None:
    with pytest.raises(DomainError) as refused:
        await client.call("standards", "GET", "/busy", response_type=Answer)

    assert (refused.value.status_code, refused.value.code) == (503, "service_unavailable")
    assert refused.value.headers == {"Retry-After": "3"}


@pytest.mark.parametrize("path", ["/boom", "/not-json"])
async def test_a_broken_answer_is_502_without_the_upstreams_internals(client: ServiceClient, path: str) -> None:
    with pytest.raises(UpstreamError) as failed:
        await client.call("standards", "GET", path, response_type=Answer)

    assert (failed.value.status_code, failed.value.code) == (502, "upstream_unavailable")
    assert "internal detail" not in failed.value.message + msgspec.json.encode(failed.value.details).decode()


async def test_no_connection_is_502_and_no_answer_in_time_is_504(client: ServiceClient) -> None:
    with pytest.raises(UpstreamError) as unreachable:
        await client.call("documents", "GET", "/anything", response_type=Answer)
    with pytest.raises(UpstreamError) as late:
        await client.call("standards", "GET", "/slow", response_type=Answer)

    assert (unreachable.value.status_code, unreachable.value.code) == (502, "upstream_unavailable")
    assert (late.value.status_code, late.value.code) == (504, "upstream_timeout")
