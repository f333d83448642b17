"""登录, 注册 and 退出 (manual 3.1, 3.3): the account pages, their forms and their messages.

The pages only translate: identity decides who may register and log in and with which words
it refuses; the portal shows those words next to the field they name.
"""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromQuery, URLEncodedBody
from litestar.response import Redirect

from contracts.identity.api import LoginResult, PasswordLogin, RegisterRequest
from gateway.csrf import NONCE_COOKIE, CsrfError
from gateway.ratelimit import LoginLimiter, client_ip
from gateway.sessions import Session, SessionStore, is_https, make_cookie
from gateway.settings import GatewaySettings
from services.kernel import DomainError, InvalidInputError, TokenMinter

from . import PAGE_HEADERS, check_form, page
from .clients import IdentityClient

__all__ = ["AuthPagesController", "field_errors", "missing_fields", "register_values"]

FormData = URLEncodedBody[dict[str, str]]

NOTICES = {"registered": "注册成功，请登录", "logged_out": "您已安全退出"}
LOGIN_INCOMPLETE = "请输入用户名和密码"
FIX_MARKED_FIELDS = "请按提示修改后重新提交"

REGISTER_FIELDS = {
    "username": "用户名",
    "password": "密码",
    "password_confirm": "确认密码",
    "unit_name": "单位名称",
    "credit_code": "统一社会信用代码",
    "contact_name": "联系人",
    "mobile": "手机号码",
}
_SECRET_FIELDS = ("password", "password_confirm")
# Shown instead of a schema-level refusal (msgspec's English constraint text) for the field.
FIELD_HINTS = {
    "username": "用户名须以字母开头，由 3～32 位字母、数字或 _ . - 组成",
    "password": "请输入密码（不超过 128 个字符）",
    "password_confirm": "请再次输入密码（不超过 128 个字符）",
    "unit_name": "单位名称应为 2～100 个字符",
    "credit_code": "统一社会信用代码应为 18 位数字或大写字母",
    "contact_name": "联系人应为 1～100 个字符",
    "mobile": "请输入 11 位手机号码",
}


def register_values(form: dict[str, str]) -> dict[str, str]:
    """The registration fields from the form, trimmed (passwords exactly as typed)."""
    return {
        name: form.get(name, "") if name in _SECRET_FIELDS else form.get(name, "").strip() for name in REGISTER_FIELDS
    }


def missing_fields(values: dict[str, str]) -> list[dict[str, str]]:
    """``[{"field": "$.name", "problem": "请填写…"}]`` for every empty field."""
    return [
        {"field": f"$.{name}", "problem": f"请填写{label}"}
        for name, label in REGISTER_FIELDS.items()
        if not values.get(name)
    ]


def _is_schema_problem(problem: str) -> bool:
    return "Expected" in problem or "`" in problem


def field_errors(error: DomainError) -> dict[str, str]:
    """Field name → message, from the ErrorBody ``details`` (a list of field problems, or one field)."""
    details = error.details
    if isinstance(details, dict) and isinstance(details.get("field"), str):
        details = [{"field": details["field"], "problem": error.message}]
    if not isinstance(details, list):
        return {}
    errors: dict[str, str] = {}
    for item in details:
        if not isinstance(item, dict):
            continue
        name = str(item.get("field", "")).removeprefix("$.").split(".")[0]
        problem = str(item.get("problem") or error.message)
        if name in REGISTER_FIELDS and name not in errors:
            errors[name] = FIELD_HINTS[name] if _is_schema_problem(problem) else problem
    return errors


class AuthPagesController(Controller):
    """/login, /register, /logout."""

    response_headers = PAGE_HEADERS

    @get("/login")
    async def login_page(
        self,
        request: Request[Any, Any, Any],
        session: NamedDependency[Session | None],
        notice: FromQuery[str | None] = None,
    ) -> Response[Any]:
        if session is not None:
            return Redirect("/")
        return page(request, "login.html", session=None, notice=NOTICES.get(notice or ""))

    @post("/login")
    async def login(
        self,
        request: Request[Any, Any, Any],
        data: FormData,
        session: NamedDependency[Session | None],
        identity: NamedDependency[IdentityClient],
        limiter: NamedDependency[LoginLimiter],
        sessions: NamedDependency[SessionStore],
    ) -> Response[Any]:
        try:
            result = await _authenticate(request, data, session, identity=identity, limiter=limiter)
        except DomainError as error:
            username = data.get("username", "").strip()
            return page(
                request,
                "login.html",
                session=session,
                status=error.status_code,
                headers=error.headers,
                username=username,
                error=error.message,
            )
        return await _start_session(request, result, sessions)

    @get("/register")
    async def register_page(
        self, request: Request[Any, Any, Any], session: NamedDependency[Session | None]
    ) -> Response[Any]:
        return page(request, "register.html", session=session, labels=REGISTER_FIELDS, values={}, errors={})

    @post("/register")
    async def register(
        self,
        request: Request[Any, Any, Any],
        data: FormData,
        session: NamedDependency[Session | None],
        identity: NamedDependency[IdentityClient],
    ) -> Response[Any]:
        values = register_values(data)
        try:
            check_form(request, data, session)
            if missing := missing_fields(values):
                raise InvalidInputError(FIX_MARKED_FIELDS, details=missing)
            await identity.register(RegisterRequest(**values))
        except DomainError as error:
            return _register_refused(request, session, values, error)
        return Redirect("/login?notice=registered", status_code=303)

    @post("/logout")
    async def logout(
        self,
        request: Request[Any, Any, Any],
        data: FormData,
        session: NamedDependency[Session | None],
        sessions: NamedDependency[SessionStore],
        tokens: NamedDependency[TokenMinter],
    ) -> Response[Any]:
        if session is None:
            return Redirect("/login", status_code=303)
        try:
            check_form(request, data, session)
        except CsrfError as error:
            return page(request, "work_list.html", session=session, status=403, error=error.message, works=[])
        settings: GatewaySettings = request.app.state.settings
        tokens.forget(session.key)
        await sessions.logout(request.cookies.get(settings.session_cookie))
        gone = make_cookie(settings.session_cookie, "", secure=is_https(request.scope, settings), delete=True)
        return Redirect("/login?notice=logged_out", status_code=303, cookies=[gone])


async def _authenticate(
    request: Request[Any, Any, Any],
    form: dict[str, str],
    session: Session | None,
    *,
    identity: IdentityClient,
    limiter: LoginLimiter,
) -> LoginResult:
    """CSRF, presence, rate limits, then identity's verdict (which may be its lockout message)."""
    check_form(request, form, session)
    username, password = form.get("username", "").strip(), form.get("password", "")
    if not username or not password:
        raise InvalidInputError(LOGIN_INCOMPLETE)
    settings: GatewaySettings = request.app.state.settings
    ip = client_ip(request.scope, settings)
    limiter.check(ip=ip, username=username)
    return await identity.login_with_password(PasswordLogin(username=username, password=password, client_ip=ip))


async def _start_session(request: Request[Any, Any, Any], result: LoginResult, sessions: SessionStore) -> Response[Any]:
    """A new session id (the pre-login one is deleted), then on to 测绘资质办理."""
    settings: GatewaySettings = request.app.state.settings
    previous = request.cookies.get(settings.session_cookie)
    cookie_value = await sessions.login(result, previous=previous)
    secure = is_https(request.scope, settings)
    cookies = [
        make_cookie(settings.session_cookie, cookie_value, secure=secure),
        make_cookie(NONCE_COOKIE, "", secure=secure, delete=True),
    ]
    return Redirect("/", status_code=303, cookies=cookies)


def _register_refused(
    request: Request[Any, Any, Any], session: Session | None, values: dict[str, str], error: DomainError
) -> Response[Any]:
    errors = field_errors(error)
    shown = {name: value for name, value in values.items() if name not in _SECRET_FIELDS}
    message = FIX_MARKED_FIELDS if errors else error.message
    return page(
        request,
        "register.html",
        session=session,
        status=error.status_code,
        headers=error.headers,
        labels=REGISTER_FIELDS,
        values=shown,
        errors=errors,
        error=message,
    )
