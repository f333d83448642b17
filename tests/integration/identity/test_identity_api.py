"""Identity's HTTP API on real PostgreSQL and NATS: 注册, tokens, guards, and who may read what."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Any

import asyncpg
import httpx
import msgspec
import pytest

from contracts.auth import Caller
from contracts.identity.events import UnitAccountRegisteredV2
from contracts.subjects import subject_for
from services.kernel import TokenSigner, generate_keypair, province_of_credit_code

Client = httpx.AsyncClient
Headers = dict[str, str]
SIGNED_IN_ONLY = {"code": "signed_in_only", "message": "请先登录", "details": None}  # the kernel's guard
INVALID_TOKEN = {"code": "invalid_token", "message": "身份令牌无效，请重新登录", "details": None}
ADVICE = (
    "该单位名称已注册。请先在单位内部询问是否已注册账号，如已注册请使用原账号登录系统；"
    "如未注册，可在单位名称后面多加几个字符后注册，待注册成功后，首次发起申请时再修改更正。"
)


async def wait_until(check: Callable[[], Any], within: float = 20.0) -> None:
    """Poll ``check`` until it holds; fail after ``within`` seconds."""
    async with asyncio.timeout(within):
        while True:
            if await check():
                return
            await asyncio.sleep(0.05)


async def counts(pool: asyncpg.Pool[Any]) -> tuple[int, ...]:
    row = await pool.fetchrow(
        "SELECT (SELECT count(*) FROM units), (SELECT count(*) FROM accounts), (SELECT count(*) FROM outbox)"
    )
    assert row is not None
    return tuple(row)


async def test_register_creates_the_account_and_its_event(
    client: Client, system: Headers, pool: asyncpg.Pool[Any], form: Callable[..., dict[str, Any]]
) -> None:
    data = form(username="Surveyor_1", unit_name=" 闽测绘（集团）有限公司 ")
    response = await client.post("/accounts", json=data, headers=system)
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["username"] == "Surveyor_1" and body["role"] == "unit"
    assert body["unit_name"] == "闽测绘（集团）有限公司"
    assert (body["credit_code"], body["contact_name"], body["mobile"]) == (data["credit_code"], "张三", "13800138000")
    assert "password" not in response.text and "argon2" not in response.text
    row = await pool.fetchrow("SELECT subject, payload FROM outbox WHERE aggregate_id = $1", body["unit_id"])
    assert row is not None and row["subject"] == subject_for(UnitAccountRegisteredV2)
    event = msgspec.json.decode(row["payload"], type=UnitAccountRegisteredV2)
    assert (event.account_id, event.unit_id, event.username, event.unit_name, event.credit_code) == (
        body["account_id"],
        body["unit_id"],
        body["username"],
        body["unit_name"],
        body["credit_code"],
    )
    payload = msgspec.json.decode(row["payload"])
    assert "mobile" not in payload and "contact_name" not in payload  # personal data stays in identity
    assert data["mobile"] not in row["payload"].decode()
    stored = await pool.fetchval("SELECT password_hash FROM accounts WHERE id = $1::uuid", body["account_id"])
    assert stored.startswith("$argon2id$")

    async def published() -> bool:
        return bool(
            await pool.fetchval("SELECT sent_at IS NOT NULL FROM outbox WHERE aggregate_id = $1", body["unit_id"])
        )

    await wait_until(published)


@pytest.mark.parametrize(
    "same_name",
    ["{name}", " {name} ", "{name_halfwidth}"],
    ids=["identical", "padded", "half-width-parentheses"],
)
async def test_a_registered_unit_name_is_refused_with_the_manuals_advice(
    client: Client, system: Headers, pool: asyncpg.Pool[Any], form: Callable[..., dict[str, Any]], same_name: str
) -> None:
    first = await client.post("/accounts", json=form(unit_name="某测绘（集团）有限公司"), headers=system)
    assert first.status_code == 201
    before = await counts(pool)
    name = same_name.format(name="某测绘（集团）有限公司", name_halfwidth="某测绘(集团)有限公司")
    response = await client.post("/accounts", json=form(unit_name=name), headers=system)
    assert response.status_code == 409
    assert response.json() == {
        "code": "identity.unit_name_taken",
        "message": ADVICE,
        "details": {"field": "$.unit_name"},
    }
    assert await counts(pool) == before


async def test_a_registered_credit_code_is_refused(
    client: Client, system: Headers, pool: asyncpg.Pool[Any], form: Callable[..., dict[str, Any]]
) -> None:
    first = form()
    assert (await client.post("/accounts", json=first, headers=system)).status_code == 201
    before = await counts(pool)
    response = await client.post("/accounts", json=form(credit_code=first["credit_code"]), headers=system)
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "identity.credit_code_taken" and body["details"] == {"field": "$.credit_code"}
    assert "统一社会信用代码已注册" in body["message"]
    assert await counts(pool) == before


async def test_a_taken_username_is_refused_whatever_its_case_and_the_unit_is_not_kept(
    client: Client, system: Headers, pool: asyncpg.Pool[Any], form: Callable[..., dict[str, Any]]
) -> None:
    assert (await client.post("/accounts", json=form(username="Mapper"), headers=system)).status_code == 201
    before = await counts(pool)
    response = await client.post("/accounts", json=form(username="mAPPER"), headers=system)
    assert response.status_code == 409
    assert response.json() == {
        "code": "identity.username_taken",
        "message": "该用户名已被使用，请更换用户名",
        "details": {"field": "$.username"},
    }
    assert await counts(pool) == before  # the unit inserted before the username clash rolled back


@pytest.mark.parametrize(
    ("overrides", "code", "field"),
    [
        ({"credit_code": "91110000100000589B"}, "identity.invalid_credit_code", "$.credit_code"),
        ({"credit_code": "B1350100M000100Y43"}, "identity.invalid_credit_code", "$.credit_code"),
        ({"password": "abcdefgh1", "password_confirm": "abcdefgh1"}, "identity.weak_password", "$.password"),
        ({"password": "Ab1!", "password_confirm": "Ab1!"}, "identity.weak_password", "$.password"),
        ({"password_confirm": "Str0ng-pass?"}, "identity.password_mismatch", "$.password_confirm"),
        ({"unit_name": "   "}, "identity.blank_field", "$.unit_name"),
    ],
)
async def test_domain_checks_refuse_with_the_field(
    client: Client,
    system: Headers,
    pool: asyncpg.Pool[Any],
    form: Callable[..., dict[str, Any]],
    overrides: dict[str, str],
    code: str,
    field: str,
) -> None:
    before = await counts(pool)
    response = await client.post("/accounts", json=form(**overrides), headers=system)
    assert response.status_code == 400
    body = response.json()
    assert (body["code"], body["details"]) == (code, {"field": field})
    assert body["message"]
    assert await counts(pool) == before


@pytest.mark.parametrize(
    ("overrides", "field", "problem"),
    [
        ({"mobile": 13800138000}, "$.mobile", "类型或取值不符合要求"),
        ({"mobile": "12345"}, "$.mobile", ""),
        ({"unit_name": "测" * 101}, "$.unit_name", "长度不符合要求"),
        ({"username": "x" * 33}, "$.username", "长度不符合要求"),
        ({"credit_code": "91350100M000100I43"}, "$.credit_code", ""),  # I is outside the charset
        ({"role": "admin"}, "$.role", "包含未知字段"),
        ({"username": None}, "$.username", "类型或取值不符合要求"),
    ],
)
async def test_malformed_fields_are_refused_naming_the_field(
    client: Client,
    system: Headers,
    form: Callable[..., dict[str, Any]],
    overrides: dict[str, Any],
    field: str,
    problem: str,
) -> None:
    response = await client.post("/accounts", json=form(**overrides), headers=system)
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid_input"
    assert body["details"][0]["field"] == field
    assert body["details"][0]["problem"].startswith(problem)


async def test_a_missing_field_and_malformed_json_are_400(
    client: Client, system: Headers, form: Callable[..., dict[str, Any]]
) -> None:
    data = form()
    del data["mobile"]
    missing = await client.post("/accounts", json=data, headers=system)
    assert missing.status_code == 400 and "缺少必填字段" in missing.json()["details"][0]["problem"]
    broken = await client.post(
        "/accounts", content=b'{"username": "abc",', headers={**system, "content-type": "application/json"}
    )
    assert broken.status_code == 400 and broken.json()["code"] == "invalid_input"


async def test_racing_registrations_of_one_unit_name_make_exactly_one_account(
    client: Client, system: Headers, pool: asyncpg.Pool[Any], form: Callable[..., dict[str, Any]]
) -> None:
    template = form()
    forms = [{**template, "username": f"{template['username']}{n}"} for n in range(5)]
    responses = await asyncio.gather(*(client.post("/accounts", json=data, headers=system) for data in forms))
    assert sorted(response.status_code for response in responses) == [201, 409, 409, 409, 409]
    assert {r.json()["code"] for r in responses if r.status_code == 409} == {"identity.unit_name_taken"}
    assert await counts(pool) == (1, 1, 1)


async def test_requests_without_a_valid_token_are_401(client: Client, signer: TokenSigner) -> None:
    visitor = Caller(account_id="gateway", role="system")
    missing = await client.get("/me")
    assert (missing.status_code, missing.json()["code"]) == (401, "missing_token")
    forged_token = TokenSigner(generate_keypair()[0]).sign(visitor, audience=["identity"])
    forged = await client.post("/logins/password", json={}, headers={"x-internal-token": forged_token})
    assert (forged.status_code, forged.json()["code"]) == (401, "invalid_token")
    expired_token = signer.sign(visitor, audience=["identity"], now=time.time() - 3600)
    expired = await client.get("/me", headers={"x-internal-token": expired_token})
    assert (expired.status_code, expired.json()["code"]) == (401, "expired_token")
    elsewhere_token = signer.sign(visitor, audience=["staffing", "standards"])
    elsewhere = await client.post("/logins/password", json={}, headers={"x-internal-token": elsewhere_token})
    assert (elsewhere.status_code, elsewhere.json()["code"]) == (401, "wrong_audience")
    garbage = await client.get("/me", headers={"x-internal-token": "not-a-token"})
    assert (garbage.status_code, garbage.json()) == (401, INVALID_TOKEN)


@pytest.mark.parametrize("role", ["unit", "authority", "admin"])
async def test_system_only_routes_refuse_signed_in_callers(
    client: Client, sign: Callable[..., Headers], form: Callable[..., dict[str, Any]], role: str
) -> None:
    headers = sign(role=role, unit_id="u-1" if role == "unit" else None)
    register = await client.post("/accounts", json=form(), headers=headers)
    login = await client.post("/logins/password", json={"username": "abc", "password": "x"}, headers=headers)
    for response in (register, login):
        assert (response.status_code, response.json()["code"]) == (403, "system_only")


async def test_me_returns_only_the_callers_own_account(
    client: Client, sign: Callable[..., Headers], register: Callable[..., Any]
) -> None:
    mine, other = await register(), await register()
    me = await client.get("/me", headers=sign(role="unit", account_id=mine["account_id"], unit_id=mine["unit_id"]))
    assert me.status_code == 200
    assert me.json() == mine and other["unit_name"] not in me.text
    unknown = await client.get("/me", headers=sign(role="unit", account_id="not-a-uuid"))
    assert (unknown.status_code, unknown.json()["code"]) == (401, "identity.no_account")
    visitor = await client.get("/me", headers=sign(role="system"))
    assert (visitor.status_code, visitor.json()) == (403, SIGNED_IN_ONLY)


async def test_unit_a_cannot_read_unit_bs_account(
    client: Client, sign: Callable[..., Headers], register: Callable[..., Any]
) -> None:
    a, b = await register(), await register()
    as_a = sign(role="unit", account_id=a["account_id"], unit_id=a["unit_id"])
    own = await client.get(f"/accounts/{a['account_id']}", headers=as_a)
    assert own.status_code == 200 and own.json() == a
    other = await client.get(f"/accounts/{b['account_id']}", headers=as_a)
    absent = await client.get("/accounts/00000000-0000-4000-8000-000000000000", headers=as_a)
    malformed = await client.get("/accounts/x'--", headers=as_a)
    for response in (other, absent, malformed):
        assert response.status_code == 404
        assert response.json() == {"code": "identity.account_not_found", "message": "账户不存在", "details": None}
    assert b["unit_name"] not in other.text and b["credit_code"] not in other.text


async def test_an_authority_reads_the_accounts_of_its_jurisdiction_only(
    client: Client, sign: Callable[..., Headers], register: Callable[..., Any]
) -> None:
    account = await register()
    province = province_of_credit_code(account["credit_code"])
    elsewhere = "650000" if province != "650000" else "110000"
    path = f"/accounts/{account['account_id']}"
    for role, jurisdiction in (("authority", province), ("admin", "000000"), ("authority", "000000")):
        staff = await client.get(path, headers=sign(role=role, jurisdiction=jurisdiction))
        assert (staff.status_code, staff.json()) == (200, account)
    for role, jurisdiction in (("authority", elsewhere), ("admin", elsewhere), ("authority", None)):
        outside = await client.get(path, headers=sign(role=role, jurisdiction=jurisdiction))
        assert (outside.status_code, outside.json()["code"]) == (404, "identity.account_not_found")
    visitor = await client.get(path, headers=sign(role="system"))
    assert (visitor.status_code, visitor.json()) == (403, SIGNED_IN_ONLY)
    assert account["unit_name"] not in visitor.text
