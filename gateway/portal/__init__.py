"""The portal: Chinese pages rendered by the gateway (登录, 注册, 测绘资质办理, 单位材料) and what they share.

Every page carries the visitor's CSRF token (in a hidden ``_csrf`` field and a ``csrf-token``
meta tag for scripts) and is sent with ``no-store`` and a same-origin-only content policy:
all styles, scripts and images come from ``/static`` (no CDN, no external fonts).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from litestar import Request
from litestar.datastructures import Cookie, ResponseHeader
from litestar.response import Template

from gateway.csrf import FORM_FIELD, NONCE_COOKIE, CsrfGuard
from gateway.sessions import Session, SessionStore, is_https, make_cookie
from gateway.settings import GatewaySettings
from services.kernel.errors import RETRY_AFTER_SECONDS

__all__ = ["PAGE_HEADERS", "SITE_TITLE", "check_form", "current_session", "page"]

SITE_TITLE = "全国测绘资质管理信息系统"

PAGE_HEADERS = [
    ResponseHeader(name="Cache-Control", value="no-store"),
    ResponseHeader(name="X-Frame-Options", value="DENY"),
    ResponseHeader(name="X-Content-Type-Options", value="nosniff"),
    ResponseHeader(name="Referrer-Policy", value="same-origin"),
    ResponseHeader(
        name="Content-Security-Policy",
        value="default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'self'; "
        "form-action 'self'; frame-ancestors 'none'",
    ),
]


async def current_session(request: Request[Any, Any, Any]) -> Session | None:
    """Dependency ``session``: the visitor's live session, or None."""
    state = request.app.state
    settings: GatewaySettings = state.settings
    sessions: SessionStore = state.sessions
    return await sessions.lookup(request.cookies.get(settings.session_cookie))


def check_form(request: Request[Any, Any, Any], form: Mapping[str, str], session: Session | None) -> None:
    """Raise CsrfError unless the form's ``_csrf`` is this visitor's token."""
    guard: CsrfGuard = request.app.state.csrf
    guard.check(
        form.get(FORM_FIELD),
        session_key=session.key if session else None,
        nonce=request.cookies.get(NONCE_COOKIE),
    )


def page(
    request: Request[Any, Any, Any],
    template: str,
    *,
    session: Session | None,
    status: int = 200,
    headers: Mapping[str, str] | None = None,
    **context: Any,
) -> Template:
    """Render ``template`` with the site title, the session and the visitor's CSRF token.

    An anonymous visitor without a valid nonce cookie gets one with this page. ``headers`` go out
    with it (a refusal's ``DomainError.headers``); a 503 page always says when to retry
    (``Retry-After``, the service's own value when given).
    """
    state = request.app.state
    guard: CsrfGuard = state.csrf
    cookies: list[Cookie] = []
    nonce = request.cookies.get(NONCE_COOKIE)
    if session is None and not guard.is_nonce(nonce):
        nonce = guard.new_nonce()
        cookies.append(make_cookie(NONCE_COOKIE, nonce, secure=is_https(request.scope, state.settings)))
    token = guard.token_for(session_key=session.key if session else None, nonce=nonce)
    return Template(
        template_name=template,
        context={"site_title": SITE_TITLE, "session": session, "csrf_token": token, **context},
        status_code=status,
        cookies=cookies,
        headers=_page_headers(status, headers),
    )


def _page_headers(status: int, headers: Mapping[str, str] | None) -> dict[str, str]:
    sent = dict(headers or {})
    if status == 503 and not any(name.lower() == "retry-after" for name in sent):
        sent["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return sent
