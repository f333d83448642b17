"""系统管理 (issue 10): the administrator's page of authority accounts (主管部门账户).

``/admin/accounts`` lists them (paginated), creates one (用户名, 密码, 机关名称, 管辖区域 of the 31
provinces or 自然资源部, 角色 受理/审查/审批 as checkboxes) and disables one (停用, after a
confirmation). Identity decides and words every refusal; the page shows its words next to the
field they name. A disabled account's sessions end here at once (``revoke_sessions_of``). Anyone
but the administrator is sent away: to 登录 when not signed in, else to the home page.
"""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, QueryParameter
from litestar.response import Redirect

from contracts.identity.api import (
    AUTHORITY_JURISDICTIONS,
    AUTHORITY_ROLE_NAMES,
    AuthorityAccount,
    AuthorityAccountCreate,
    AuthorityAccountPage,
)
from gateway.csrf import FORM_FIELD
from gateway.sessions import Session, SessionStore, session_token
from services.kernel import DomainError, InvalidInputError, ServiceClient, TokenMinter
from services.kernel.clock import beijing_text

from . import PAGE_HEADERS, check_form, page
from .reminders import calendar_reminder

__all__ = ["ACCOUNT_FIELDS", "AdminPagesController", "AuthorityAccountsClient", "account_errors"]

PAGE_SIZE = 20
ACCOUNT_FIELDS = {
    "username": "用户名",
    "password": "密码",
    "org_name": "机关名称",
    "jurisdiction": "管辖区域",
    "roles": "角色",
}
NOTICES = {"created": "账户已创建", "disabled": "账户已停用，其登录会话已失效"}
FIX_MARKED_FIELDS = "请按提示修改后重新提交"
# Shown instead of a schema-level refusal (msgspec's English constraint text) for the field.
FIELD_HINTS = {
    "username": "用户名须以字母开头，由 3～32 位字母、数字或 _ . - 组成",
    "password": "请输入密码（不超过 128 个字符）",
    "org_name": "机关名称应为 1～100 个字符",
    "jurisdiction": "请选择管辖区域",
    "roles": "请至少选择一个角色",
}


class AuthorityAccountsClient:
    """identity's /authority-accounts, called with the administrator's own token."""

    def __init__(self, client: ServiceClient, token: str) -> None:
        self._client, self._token = client, token

    async def page(self, number: int) -> AuthorityAccountPage:
        path = f"/authority-accounts?page={number}&page_size={PAGE_SIZE}"
        return await self._call("GET", path, AuthorityAccountPage)

    async def create(self, request: AuthorityAccountCreate) -> AuthorityAccount:
        return await self._call("POST", "/authority-accounts", AuthorityAccount, body=request)

    async def disable(self, account_id: str) -> AuthorityAccount:
        return await self._call("POST", f"/authority-accounts/{account_id}/disable", AuthorityAccount)

    async def _call(self, method: str, path: str, kind: type[Any], body: Any = None) -> Any:
        return await self._client.call("identity", method, path, response_type=kind, body=body, token=self._token)


def account_errors(error: DomainError) -> dict[str, str]:
    """Field name → message, from the ErrorBody ``details`` (``$.roles[0]`` counts for ``roles``)."""
    details = error.details
    if isinstance(details, dict) and isinstance(details.get("field"), str):
        details = [{"field": details["field"], "problem": error.message}]
    errors: dict[str, str] = {}
    for item in details if isinstance(details, list) else []:
        name = str(item.get("field", "")).removeprefix("$.").split(".")[0].split("[")[0]
        problem = str(item.get("problem") or error.message)
        if name in ACCOUNT_FIELDS and name not in errors:
            errors[name] = FIELD_HINTS[name] if "Expected" in problem or "`" in problem else problem
    return errors


def _form_values(form: Any) -> tuple[dict[str, str], list[str]]:
    values = {name: str(form.get(name) or "") for name in ACCOUNT_FIELDS if name != "roles"}
    values = {name: value if name == "password" else value.strip() for name, value in values.items()}
    return values, [str(role) for role in form.getall("roles", [])]


def _missing(values: dict[str, str], roles: list[str]) -> list[dict[str, str]]:
    problems = [
        {"field": f"$.{name}", "problem": f"请{'选择' if name == 'jurisdiction' else '填写'}{label}"}
        for name, label in ACCOUNT_FIELDS.items()
        if name != "roles" and not values[name]
    ]
    return problems + ([] if roles else [{"field": "$.roles", "problem": FIELD_HINTS["roles"]}])


def _rows(accounts: AuthorityAccountPage) -> list[dict[str, Any]]:
    return [
        {
            "account": account,
            "jurisdiction": AUTHORITY_JURISDICTIONS.get(account.jurisdiction or "", account.jurisdiction or ""),
            "roles": "、".join(AUTHORITY_ROLE_NAMES[role] for role in account.roles) or "系统管理员",
            "created": beijing_text(account.created_at),
        }
        for account in accounts.items
    ]


class AdminPagesController(Controller):
    """/admin/accounts: 系统管理 — the authority accounts."""

    response_headers = PAGE_HEADERS

    @get("/admin/accounts")
    async def accounts(
        self,
        request: Request[Any, Any, Any],
        session: NamedDependency[Session | None],
        tokens: NamedDependency[TokenMinter],
        page_number: Annotated[int, QueryParameter(name="page", ge=1, le=100_000)] = 1,
        notice: FromQuery[str | None] = None,
    ) -> Response[Any]:
        if session is None or session.role != "admin":
            return _away(session)
        client = _client(request, tokens, session)
        shown = NOTICES.get(notice or "")
        return await _render(request, session, client, page_number=page_number, notice=shown, tokens=tokens)

    @post("/admin/accounts")
    async def create(
        self,
        request: Request[Any, Any, Any],
        session: NamedDependency[Session | None],
        tokens: NamedDependency[TokenMinter],
    ) -> Response[Any]:
        if session is None or session.role != "admin":
            return _away(session)
        form = await request.form()
        values, roles = _form_values(form)
        client = _client(request, tokens, session)
        try:
            check_form(request, {FORM_FIELD: str(form.get(FORM_FIELD) or "")}, session)
            if missing := _missing(values, roles):
                raise InvalidInputError(FIX_MARKED_FIELDS, details=missing)
            await client.create(AuthorityAccountCreate(**values, roles=roles))  # type: ignore[arg-type]
        except DomainError as error:
            errors = account_errors(error)
            shown = {**values, "password": "", "roles": roles}
            message = FIX_MARKED_FIELDS if errors else error.message
            return await _render(
                request, session, client, refusal=error, error=message, errors=errors, values=shown, tokens=tokens
            )
        return Redirect("/admin/accounts?notice=created", status_code=303)

    @post("/admin/accounts/{account_id:str}/disable")
    async def disable(
        self,
        request: Request[Any, Any, Any],
        account_id: FromPath[str],
        session: NamedDependency[Session | None],
        tokens: NamedDependency[TokenMinter],
        sessions: NamedDependency[SessionStore],
    ) -> Response[Any]:
        if session is None or session.role != "admin":
            return _away(session)
        form = await request.form()
        client = _client(request, tokens, session)
        try:
            check_form(request, {FORM_FIELD: str(form.get(FORM_FIELD) or "")}, session)
            disabled = await client.disable(account_id)
        except DomainError as error:
            return await _render(request, session, client, refusal=error, error=error.message, tokens=tokens)
        await sessions.revoke_sessions_of(disabled.account_id)
        return Redirect("/admin/accounts?notice=disabled", status_code=303)


def _away(session: Session | None) -> Response[Any]:
    """Not signed in: to 登录; signed in as anyone but the administrator: to the home page."""
    return Redirect("/login" if session is None else "/", status_code=303)


def _client(request: Request[Any, Any, Any], tokens: TokenMinter, session: Session) -> AuthorityAccountsClient:
    services: ServiceClient = request.app.state.runtime.service_client()
    return AuthorityAccountsClient(services, session_token(tokens, session, "identity"))


async def _render(
    request: Request[Any, Any, Any],
    session: Session,
    client: AuthorityAccountsClient,
    *,
    tokens: TokenMinter,
    page_number: int = 1,
    refusal: DomainError | None = None,
    **context: Any,
) -> Response[Any]:
    """The page: the 放假安排 reminder, the list (page ``page_number``) and the 新建 form; after a
    ``refusal``, its status, with the message (``error``) and the fields' ``errors`` in ``context``."""
    accounts = await client.page(page_number)
    reminder = await calendar_reminder(request, tokens, session)
    pages = max(1, -(-accounts.total // accounts.page_size))
    return page(
        request,
        "admin_accounts.html",
        session=session,
        status=refusal.status_code if refusal else 200,
        headers=refusal.headers if refusal else None,
        rows=_rows(accounts),
        accounts=accounts,
        pages=pages,
        labels=ACCOUNT_FIELDS,
        jurisdictions=AUTHORITY_JURISDICTIONS,
        role_names=AUTHORITY_ROLE_NAMES,
        reminder=reminder,
        **{"values": {"roles": []}, "errors": {}, **context},
    )
