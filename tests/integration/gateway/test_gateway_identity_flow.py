"""The portal with the real identity service behind it: 注册 → 登录 → /api/identity/me → 退出.

identity runs on its own port (granian, real PostgreSQL and NATS); the gateway forwards to it
over HTTP exactly as in production.
"""

from __future__ import annotations

from typing import Any

from contracts.errors import ErrorBody
from services.identity.errors import (
    AccountNotFoundError,
    BadCredentialsError,
    PasswordMismatchError,
    UnitNameTakenError,
)
from tests.builders.identity import PASSWORD, a_registration


async def _register(visitor: Any, form: dict[str, str]) -> Any:
    token = await visitor.page_token("/register")
    return await visitor.http.post("/register", data={**form, "_csrf": token})


async def test_register_login_read_own_account_and_logout(launch, identity, portal, helpers) -> None:
    gateway = await launch(identity=identity.url)
    unit_a, unit_b = portal(gateway), portal(gateway)
    form_a, form_b = a_registration(), a_registration()

    registered = await _register(unit_a, form_a)
    assert registered.status_code == 303
    assert registered.headers["location"] == "/login?notice=registered"
    assert "注册成功，请登录" in (await unit_a.http.get(registered.headers["location"])).text
    assert (await _register(unit_b, form_b)).status_code == 303

    assert (await unit_a.login(form_a["username"], PASSWORD)).status_code == 303
    assert (await unit_b.login(form_b["username"], PASSWORD)).status_code == 303
    work = await unit_a.http.get("/")
    assert work.status_code == 200
    assert form_a["unit_name"] in work.text

    me = await unit_a.http.get("/api/identity/me")
    assert me.status_code == 200
    mine = me.json()
    assert (mine["username"], mine["unit_name"], mine["credit_code"]) == (
        form_a["username"],
        form_a["unit_name"],
        form_a["credit_code"],
    )
    own = await unit_a.http.get(f"/api/identity/accounts/{mine['account_id']}")
    assert own.status_code == 200

    others_id = (await unit_b.http.get("/api/identity/me")).json()["account_id"]
    other = await unit_a.http.get(f"/api/identity/accounts/{others_id}")
    assert other.status_code == 404
    not_found = AccountNotFoundError()
    assert helpers.error_of(other) == ErrorBody(code=not_found.code, message=not_found.message)
    assert form_b["unit_name"] not in other.text

    cookie = unit_a.http.cookies["qual_session"]
    logout = await unit_a.http.post("/logout", data={"_csrf": await unit_a.session_token()})
    assert logout.status_code == 303
    async with gateway.client(cookies={"qual_session": cookie}) as stale:
        after = await stale.get("/api/identity/me")
    assert after.status_code == 401
    assert helpers.error_of(after) == ErrorBody(code="missing_token", message="缺少身份令牌，请先登录")


async def test_register_shows_identitys_refusals_next_to_the_fields(launch, identity, portal) -> None:
    gateway = await launch(identity=identity.url)
    visitor = portal(gateway)
    first = a_registration()
    assert (await _register(visitor, first)).status_code == 303

    duplicate = await _register(visitor, a_registration(unit_name=first["unit_name"]))
    mismatch = await _register(visitor, a_registration(password_confirm="Other-pass1"))
    bad_mobile = await _register(visitor, a_registration(mobile="12345"))
    empty = await _register(visitor, a_registration(contact_name="", mobile=""))

    assert duplicate.status_code == 409
    assert UnitNameTakenError().message in duplicate.text
    assert first["unit_name"] in duplicate.text  # the form keeps what was typed
    assert mismatch.status_code == 400
    assert PasswordMismatchError().message in mismatch.text
    assert PASSWORD not in mismatch.text  # passwords are never echoed back
    assert bad_mobile.status_code == 400
    assert "请输入 11 位手机号码" in bad_mobile.text
    assert "Expected" not in bad_mobile.text
    assert "请填写联系人" in empty.text and "请填写手机号码" in empty.text


async def test_a_wrong_password_is_refused_with_identitys_words(launch, identity, portal) -> None:
    gateway = await launch(identity=identity.url)
    visitor = portal(gateway)
    form = a_registration()
    await _register(visitor, form)

    response = await visitor.login(form["username"], "Wrong-pass1")

    assert response.status_code == 401
    assert BadCredentialsError().message in response.text
    assert "qual_session" not in response.headers.get("set-cookie", "")
