"""ASGI middleware every service runs: server spans with propagated context, internal-token auth."""

from __future__ import annotations

import time
from typing import Any

import msgspec
from litestar.types import ASGIApp, Receive, Scope, Send
from opentelemetry import propagate, trace

from contracts.errors import ErrorBody

from . import telemetry
from .auth import TOKEN_HEADER, TokenVerifier
from .errors import UnauthorizedError

__all__ = ["PUBLIC_PATHS", "auth_middleware", "tracing_middleware"]

PUBLIC_PATHS = ("/healthz", "/readyz", "/schema")
_TOKEN_HEADER = TOKEN_HEADER.encode()
_encoder = msgspec.json.Encoder()


def _trace_headers(scope: Scope, fields: frozenset[bytes]) -> dict[str, str]:
    """The request's headers the configured propagators read (``traceparent``… by default)."""
    return {key.decode("latin-1"): value.decode("latin-1") for key, value in scope.get("headers", []) if key in fields}


def tracing_middleware(app: ASGIApp) -> ASGIApp:
    """One server span per request, child of the caller's ``traceparent`` when present."""
    tracer = telemetry.tracer("qual.http")
    fields = frozenset(name.lower().encode("latin-1") for name in propagate.get_global_textmap().fields)

    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith(PUBLIC_PATHS):
            await app(scope, receive, send)
            return
        ctx = telemetry.extract_context(_trace_headers(scope, fields))
        method = str(scope.get("method", ""))
        started = time.perf_counter()
        with tracer.start_as_current_span(f"{method} {scope['path']}", context=ctx, kind=trace.SpanKind.SERVER) as span:
            status = {"code": 500}

            async def capture(message: Any) -> None:
                if message["type"] == "http.response.start":
                    status["code"] = message["status"]
                    span.set_attribute("http.status_code", message["status"])
                await send(message)

            try:
                await app(scope, receive, capture)
            finally:
                telemetry.instruments.request_duration.record(
                    time.perf_counter() - started,
                    {"http.request.method": method, "http.response.status_code": status["code"]},
                )

    return middleware


async def _refuse(send: Any, error: UnauthorizedError) -> None:
    body = _encoder.encode(ErrorBody(code=error.code, message=error.message))
    await send(
        {
            "type": "http.response.start",
            "status": 401,
            "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())],
        }
    )
    await send({"type": "http.response.body", "body": body})


def auth_middleware(verifier: TokenVerifier) -> Any:
    """Reject any request without a valid internal token; put the Caller on the scope state."""

    def factory(app: ASGIApp) -> ASGIApp:
        async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
            if scope["type"] != "http" or scope["path"].startswith(PUBLIC_PATHS):
                await app(scope, receive, send)
                return
            token = next((v for k, v in scope.get("headers", []) if k == _TOKEN_HEADER), None)
            try:
                if token is None:
                    raise UnauthorizedError("缺少身份令牌，请先登录", code="missing_token")
                caller = verifier.verify(token.decode("latin-1"))
            except UnauthorizedError as error:
                await _refuse(send, error)
                return
            scope.setdefault("state", {})["caller"] = caller
            await app(scope, receive, send)

        return middleware

    return factory
