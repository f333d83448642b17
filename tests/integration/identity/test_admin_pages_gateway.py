"""系统管理 through the gateway, with the real identity service behind it: the page is the
administrator's alone, creates authority accounts (roles as checkboxes) whose sessions carry their
roles and 机关名称, shows refusals at their field, and 停用 ends the account's sessions at once."""

from __future__ import annotations

import re
import uuid
from typing import Any

import pytest

from contracts.identity.api import LoginResult
from gateway.portal.admin_pages import AdminPagesController
from tests.builders.identity import PASSWORD
from tests.fixtures.gateway import Portal, RealIdentity, RunningGateway
from tests.fixtures.portal_forms import csrf_in

from .conftest import an_authority_account


def with_admin_pages(gateway: RunningGateway) -> RunningGateway:
    """The page's controller, registered here unless the gateway's composition root has it already."""
    if not any(route.path == "/admin/accounts" for route in gateway.app.routes):
        gateway.app.register(AdminPagesController)
    return gateway


async def signed_in_as(gateway: RunningGateway, portal: Any, role: str, **fields: Any) -> Portal:
    """A visitor with a live session of ``role`` (no password login needed for the administrator)."""
    result = LoginResult(account_id=str(uuid.uuid4()), username=f"{role}{uuid.uuid4().hex[:6]}", role=role, **fields)  # type: ignore[arg-type]
    cookie = await gateway.app.state.sessions.login(result, previous=None)
    visitor: Portal = portal(gateway)
    visitor.http.cookies.set(gateway.settings.session_cookie, cookie)
    return visitor


async def admin_of(gateway: RunningGateway, portal: Any) -> Portal:
    return await signed_in_as(gateway, portal, "admin", jurisdiction="000000", org_name="自然资源部")


@pytest.fixture
async def gateway(launch: Any, identity: RealIdentity) -> RunningGateway:
    return with_admin_pages(await launch(identity=identity.url))


async def test_only_the_administrator_sees_the_page(gateway: RunningGateway, portal: Any) -> None:
    async with gateway.client() as anonymous:
        assert (await anonymous.get("/admin/accounts")).headers["location"] == "/login"
    for role, fields in (
        ("unit", {"unit_id": str(uuid.uuid4())}),
        ("authority", {"jurisdiction": "110000", "roles": ["acceptance"]}),
    ):
        visitor = await signed_in_as(gateway, portal, role, **fields)
        answer = await visitor.http.get("/admin/accounts")
        assert (answer.status_code, answer.headers["location"]) == (303, "/"), role
        assert "系统管理" not in (await visitor.http.get("/")).text
    admin = await admin_of(gateway, portal)
    page = await admin.http.get("/admin/accounts")
    assert page.status_code == 200, page.text
    assert re.search(r'<a href="/admin/accounts" class="active" aria-current="page">系统管理</a>', page.text)
    assert len(re.findall(r'<option value="[0-9]{6}"', page.text)) == 32 and '<option value="000000"' in page.text
    assert re.findall(r'name="roles" value="(\w+)"', page.text) == ["acceptance", "review", "approval"]


async def test_an_account_created_on_the_page_logs_in_with_its_roles_in_the_session(
    gateway: RunningGateway, portal: Any
) -> None:
    admin = await admin_of(gateway, portal)
    data = an_authority_account(jurisdiction="350000", org_name="福建省自然资源厅")
    form = {
        **data,
        "roles": ["acceptance", "approval"],
        "_csrf": csrf_in((await admin.http.get("/admin/accounts")).text),
    }
    created = await admin.http.post("/admin/accounts", data=form)
    assert (created.status_code, created.headers["location"]) == (303, "/admin/accounts?notice=created"), created.text
    listed = (await admin.http.get("/admin/accounts?notice=created")).text
    assert "账户已创建" in listed and data["username"] in listed and "受理、审批" in listed and "福建省" in listed

    reviewer = portal(gateway)
    assert (await reviewer.login(data["username"], PASSWORD)).status_code == 303
    session = await gateway.app.state.sessions.lookup(reviewer.http.cookies[gateway.settings.session_cookie])
    caller = session.caller
    assert (caller.role, caller.jurisdiction, caller.roles, caller.org_name) == (
        "authority",
        "350000",
        ("acceptance", "approval"),
        "福建省自然资源厅",
    )


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"roles": []}, "roles", "请至少选择一个角色"),
        ({"password": "weakpass"}, "password", "密码长度至少8位"),
        ({"jurisdiction": "110100"}, "jurisdiction", "管辖区域应为省级行政区划代码"),
        ({"org_name": ""}, "org_name", "请填写机关名称"),
    ],
)
async def test_a_refusal_is_shown_at_its_field(
    gateway: RunningGateway, portal: Any, overrides: dict[str, Any], field: str, message: str
) -> None:
    admin = await admin_of(gateway, portal)
    token = csrf_in((await admin.http.get("/admin/accounts")).text)
    form = {**an_authority_account(), **overrides, "_csrf": token}
    answer = await admin.http.post("/admin/accounts", data=form)
    assert answer.status_code == 400, answer.text
    error = re.search(rf'<p class="field-error" id="e-{field}">([^<]*)</p>', answer.text)
    assert error is not None and message in error.group(1)
    assert f'value="{form["username"]}"' in answer.text  # what was typed stays (the password does not)
    assert "weakpass" not in answer.text


async def test_disabling_ends_the_accounts_sessions_and_its_logins(
    gateway: RunningGateway, portal: Any, identity: RealIdentity
) -> None:
    admin_headers = identity.sign(role="admin", jurisdiction="000000")
    data = an_authority_account()
    account = (await identity.http.post("/authority-accounts", json=data, headers=admin_headers)).json()
    reviewer = portal(gateway)
    assert (await reviewer.login(data["username"], PASSWORD)).status_code == 303
    cookie = reviewer.http.cookies[gateway.settings.session_cookie]
    assert await gateway.app.state.sessions.lookup(cookie) is not None

    admin = await admin_of(gateway, portal)
    page = (await admin.http.get("/admin/accounts")).text
    assert f'action="/admin/accounts/{account["account_id"]}/disable"' in page and "确定停用账户" in page
    disabled = await admin.http.post(f"/admin/accounts/{account['account_id']}/disable", data={"_csrf": csrf_in(page)})
    assert (disabled.status_code, disabled.headers["location"]) == (303, "/admin/accounts?notice=disabled")
    assert "已停用" in (await admin.http.get("/admin/accounts")).text

    assert await gateway.app.state.sessions.lookup(cookie) is None  # the session is gone
    assert (await reviewer.http.get("/")).headers["location"] == "/login"
    again = await portal(gateway).login(data["username"], PASSWORD)
    assert again.status_code == 403 and "该账户已停用，请联系系统管理员" in again.text


async def test_a_forged_form_is_refused(gateway: RunningGateway, portal: Any, identity: RealIdentity) -> None:
    admin = await admin_of(gateway, portal)
    answer = await admin.http.post("/admin/accounts", data={**an_authority_account(), "_csrf": "forged"})
    assert answer.status_code == 403
    rows = await identity.app.state.runtime.pool.fetchval("SELECT count(*) FROM accounts WHERE role = 'authority'")
    assert rows == 0


async def test_disabling_through_the_api_ends_the_sessions_as_the_page_does(
    gateway: RunningGateway, portal: Any, identity: RealIdentity
) -> None:
    admin_headers = identity.sign(role="admin", jurisdiction="000000")
    data = an_authority_account()
    account = (await identity.http.post("/authority-accounts", json=data, headers=admin_headers)).json()
    reviewer = portal(gateway)
    assert (await reviewer.login(data["username"], PASSWORD)).status_code == 303
    cookie = reviewer.http.cookies[gateway.settings.session_cookie]
    admin = await admin_of(gateway, portal)
    page = (await admin.http.get("/admin/accounts")).text
    token = re.search(r'<meta name="csrf-token" content="([^"]+)"', page)
    assert token is not None

    url = f"/api/identity/authority-accounts/{account['account_id']}/disable"
    answer = await admin.http.post(url, headers={"X-CSRF-Token": token.group(1)})

    assert answer.status_code == 200, answer.text
    assert await gateway.app.state.sessions.lookup(cookie) is None  # not only when it expires
    assert (await reviewer.http.get("/")).headers["location"] == "/login"
