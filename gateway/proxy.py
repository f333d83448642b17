"""``/api/<service>/…``: forward to the service, streaming the bodies both ways.

The client's hop-by-hop and identity headers are stripped (its ``Cookie``, ``Authorization``,
``X-Internal-Token``, trace and forwarding headers never reach a service); the gateway adds the
internal token minted from the session, the W3C ``traceparent`` of its client span and
``X-Forwarded-For``. A state-changing call must carry the page's ``X-CSRF-Token``. Failures to
reach a service become 502/504 with the ErrorBody (see ``upstreams``).

A request body longer than ``settings.api_body_max_bytes`` is refused with 413 ``file_too_large``
by the gateway itself: at once when its ``Content-Length`` says so (nothing is forwarded), else
when the count of bytes streamed passes the limit (the upstream request is aborted, so the
service sees a broken-off body, never a complete one, and at most the limit).
"""

from __future__ import annotations

import logging
import re
from collections.abc import AsyncIterator
from typing import Any, cast
from urllib.parse import unquote

from litestar import asgi
from litestar.types import HTTPScope, Receive, Scope, Send

from contracts.auth import Caller
from services.kernel import DomainError, NotFoundError, TokenMinter, UpstreamError
from services.kernel.registry import audience_for

from .csrf import HEADER as CSRF_HEADER
from .csrf import NONCE_COOKIE, SAFE_METHODS, CsrfGuard
from .ratelimit import PublicLimiter, client_ip
from .sessions import SessionStore, session_token
from .settings import GatewaySettings
from .upstreams import Headers, UpstreamResponse, Upstreams

__all__ = ["cookie_value", "forwarded_request_headers", "proxy", "returned_response_headers"]

logger = logging.getLogger(__name__)

PREFIX = b"/api/"
PUBLIC_PREFIX = "/public/"
"""A service's routes anyone may call: without a session they carry the anonymous visitor's token."""
ANONYMOUS = Caller(account_id="gateway", role="system")
"""The gateway acting for a visitor without a session (kernel ``system`` caller, not a service)."""
HOP_BY_HOP = frozenset(
    {
        b"connection",
        b"keep-alive",
        b"proxy-authenticate",
        b"proxy-authorization",
        b"proxy-connection",
        b"te",
        b"trailer",
        b"transfer-encoding",
        b"upgrade",
    }
)
_NOT_FORWARDED = HOP_BY_HOP | {
    b"host",
    b"expect",
    b"cookie",
    b"authorization",
    b"x-internal-token",
    b"x-csrf-token",
    b"traceparent",
    b"tracestate",
    b"baggage",
    b"forwarded",
    b"x-forwarded-for",
    b"x-forwarded-host",
    b"x-forwarded-proto",
    b"x-real-ip",
}
_NOT_RETURNED = HOP_BY_HOP | {b"set-cookie", b"server", b"date"}


class ClientGoneError(Exception):
    """The browser went away while its request body was being forwarded."""


class BodyTooLargeError(DomainError):
    """413 ``file_too_large``, as the documents service words it: the body is longer than the
    gateway forwards (manual §5: one file of at most 2 MB)."""

    status_code = 413
    code = "file_too_large"

    def __init__(self, settings: GatewaySettings) -> None:
        limit = settings.upload_max_bytes
        details = {"field": "$.file", "max_bytes": limit}
        super().__init__(f"单个文件大小不能超过{limit / (1 << 20):g}MB", details=details)


def _connection_tokens(headers: list[tuple[bytes, bytes]]) -> set[bytes]:
    return {
        token.strip().lower() for name, value in headers if name.lower() == b"connection" for token in value.split(b",")
    }


def forwarded_request_headers(raw: list[tuple[bytes, bytes]]) -> Headers:
    """The client's headers minus hop-by-hop, identity, trace and forwarding ones."""
    drop = _NOT_FORWARDED | _connection_tokens(raw)
    return [(name.decode("latin-1"), value.decode("latin-1")) for name, value in raw if name.lower() not in drop]


def returned_response_headers(raw: list[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
    """The service's headers minus hop-by-hop ones and cookies (only the gateway sets cookies)."""
    drop = _NOT_RETURNED | _connection_tokens(raw)
    return [(name.lower(), value) for name, value in raw if name.lower() not in drop]


def cookie_value(raw: list[tuple[bytes, bytes]], name: str) -> str | None:
    """One cookie from the ``Cookie`` header(s), without a full parse."""
    for header, value in raw:
        if header != b"cookie":
            continue
        for part in value.decode("latin-1").split(";"):
            key, sep, found = part.strip().partition("=")
            if sep and key == name:
                return found.strip()
    return None


def _header(raw: list[tuple[bytes, bytes]], name: bytes) -> str | None:
    return next((value.decode("latin-1") for key, value in raw if key == name), None)


def _target(scope: Scope) -> tuple[str, str]:
    """``(service, path?query)`` from the raw request path ``/api/<service>/<path>``."""
    raw_path: bytes = scope.get("raw_path") or scope["path"].encode()
    service, _, rest = raw_path.removeprefix(PREFIX).partition(b"/")
    path = "/" + rest.decode("latin-1")
    if not raw_path.startswith(PREFIX) or _dot_segment(path):
        raise NotFoundError("请求的地址不存在")
    if scope.get("query_string"):
        path += "?" + scope["query_string"].decode("latin-1")
    return service.decode("latin-1"), path


def _dot_segment(path: str) -> bool:
    """Whether a segment of ``path`` is ``.`` or ``..``, plainly or percent-encoded."""
    return "." in unquote(path) and any(unquote(part) in (".", "..") for part in path.split("/"))


def _public(path: str) -> bool:
    """A service's public route (``/public/…``) with no separator encoded inside a segment
    (``%2F``, ``%5C``): one could make the service route elsewhere than the path checked here."""
    if not path.startswith(PUBLIC_PREFIX):
        return False
    route = path.partition("?")[0].lower()
    if "%2f" in route or "%5c" in route:
        raise NotFoundError("请求的地址不存在")
    return True


def _method(scope: Scope) -> str:
    return cast("HTTPScope", scope)["method"]


def _has_body(raw: list[tuple[bytes, bytes]]) -> bool:
    length = _header(raw, b"content-length")
    return (length is not None and length.strip() != "0") or _header(raw, b"transfer-encoding") is not None


def _declared_length(raw: list[tuple[bytes, bytes]]) -> int | None:
    length = _header(raw, b"content-length")
    return int(length) if length is not None and length.strip().isdigit() else None


class _LimitedBody:
    """The client's body as it arrives, counted: passing the limit stops reading and raises, which
    breaks the upstream request off (the service never gets a complete body)."""

    def __init__(self, receive: Receive, settings: GatewaySettings) -> None:
        self._receive = receive
        self._settings = settings
        self.finished = False

    async def __aiter__(self) -> AsyncIterator[bytes]:
        seen = 0
        while True:
            message = await self._receive()
            if message["type"] == "http.disconnect":
                raise ClientGoneError()
            chunk: bytes = message.get("body", b"")  # type: ignore[assignment]
            seen += len(chunk)
            if seen > self._settings.api_body_max_bytes:
                raise BodyTooLargeError(self._settings)  # breaks the upstream request off
            if chunk:
                yield chunk
            if not message.get("more_body", False):
                self.finished = True
                return


async def _relay(response: UpstreamResponse, send: Send, *, unread_body: bool) -> None:
    """Send the service's answer on as it arrives; an answer given before the client's body was all
    read (an early refusal) closes the client's connection, whose framing is unknown now."""
    complete = False
    headers = returned_response_headers(response.headers)
    if unread_body:
        headers.append((b"connection", b"close"))
    try:
        await send({"type": "http.response.start", "status": response.status, "headers": headers})
        async for chunk in response.chunks():
            await send({"type": "http.response.body", "body": chunk, "more_body": True})
        await send({"type": "http.response.body", "body": b"", "more_body": False})
        complete = True
    except UpstreamError:
        logger.warning("upstream body broke off; aborting the response")
        raise
    finally:
        await response.aclose(complete=complete)


@asgi("/api", is_mount=True, copy_scope=False)
async def proxy(scope: Scope, receive: Receive, send: Send) -> None:
    """Forward one ``/api/<service>/…`` request and relay the answer as it arrives.

    Any answer sent before the client's body was all read (the gateway's own refusal, or a
    service's early one) closes the client's connection: the rest of the body is still on it.
    """
    raw = list(scope.get("headers", ()))
    body = _LimitedBody(receive, scope["litestar_app"].state.settings) if _has_body(raw) else None
    try:
        await _forward(scope, raw, body, send)
    except DomainError as refusal:
        if body is not None and not body.finished:
            refusal.headers = {**(refusal.headers or {}), "connection": "close"}
        raise


async def _forward(scope: Scope, raw: list[tuple[bytes, bytes]], body: _LimitedBody | None, send: Send) -> None:
    state: Any = scope["litestar_app"].state
    settings: GatewaySettings = state.settings
    upstreams: Upstreams = state.upstreams
    service, path = _target(scope)
    if service not in upstreams.base_urls:
        raise NotFoundError("请求的服务不存在", code="unknown_service")
    if (_declared_length(raw) or 0) > settings.api_body_max_bytes:
        raise BodyTooLargeError(settings)  # before reading a byte of it
    headers = await _identity_headers(scope, raw, state, service)
    ip = client_ip(scope, settings)
    if _public(path) and not any(name == "x-internal-token" for name, _ in headers):
        limiter: PublicLimiter = state.public_limiter
        limiter.check(ip)
        minter: TokenMinter = state.tokens
        headers.append(("x-internal-token", minter.token("\x00anonymous", ANONYMOUS, audience=audience_for(service))))
    headers.append(("x-forwarded-for", ip))
    response = await upstreams.open(service, _method(scope), path, headers=headers, body=body)
    if (disabled := _disabled_account(service, _method(scope), path, response.status)) is not None:
        sessions: SessionStore = state.sessions
        await sessions.revoke_sessions_of(disabled)  # 停用 through /api ends its sessions as the page does
    await _relay(response, send, unread_body=body is not None and not body.finished)


_DISABLE = re.compile(r"^/authority-accounts/([0-9A-Fa-f-]{1,64})/disable(?:\?.*)?$")


def _disabled_account(service: str, method: str, path: str, status: int) -> str | None:
    """The account identity just disabled (``POST /authority-accounts/{id}/disable`` answered 200)."""
    if service != "identity" or method != "POST" or status != 200:
        return None
    found = _DISABLE.match(path)
    return found.group(1) if found else None


async def _identity_headers(scope: Scope, raw: list[tuple[bytes, bytes]], state: Any, service: str) -> Headers:
    """The forwarded headers plus the session's token for ``service``; refuses a state change
    without the CSRF token."""
    settings: GatewaySettings = state.settings
    sessions: SessionStore = state.sessions
    session = await sessions.lookup(cookie_value(raw, settings.session_cookie))
    if _method(scope) not in SAFE_METHODS:
        guard: CsrfGuard = state.csrf
        guard.check(
            _header(raw, CSRF_HEADER.encode()),
            session_key=session.key if session else None,
            nonce=cookie_value(raw, NONCE_COOKIE),
        )
    headers = forwarded_request_headers(raw)
    if session is not None:
        minter: TokenMinter = state.tokens
        headers.append(("x-internal-token", session_token(minter, session, service)))
    return headers
