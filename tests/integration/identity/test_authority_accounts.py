"""系统管理 on real PostgreSQL: authority accounts created, listed and disabled by the administrator
alone; what a login and /me then carry; the database refusing a unit any authority role."""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

import asyncpg
import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from services.identity.rules import CREDIT_CODE_CHARSET, credit_code_check_char
from tests.builders.identity import PASSWORD

from .conftest import an_authority_account

Client = httpx.AsyncClient
Headers = dict[str, str]
ROLES = ("acceptance", "review", "approval")
DISABLED = {"code": "identity.account_disabled", "message": "该账户已停用，请联系系统管理员", "details": None}


def login(username: str, password: str = PASSWORD) -> dict[str, str]:
    return {"username": username, "password": password, "client_ip": "10.1.2.3"}


async def count_accounts(pool: asyncpg.Pool[Any]) -> int:
    return int(await pool.fetchval("SELECT count(*) FROM accounts"))


async def test_the_administrator_creates_an_authority_account_that_logs_in_with_its_roles(
    client: Client, admin: Headers, system: Headers, sign: Callable[..., Headers], pool: asyncpg.Pool[Any]
) -> None:
    data = an_authority_account(roles=["approval", "acceptance", "approval"], org_name=" 北京市规划和自然资源委员会 ")
    acting = sign(role="admin", jurisdiction="000000")
    response = await client.post("/authority-accounts", json=data, headers=acting)
    assert response.status_code == 201, response.text
    body = response.json()
    assert (body["role"], body["jurisdiction"], body["org_name"]) == (
        "authority",
        "110000",
        "北京市规划和自然资源委员会",
    )
    assert body["roles"] == ["acceptance", "approval"]  # distinct, in workflow order
    assert body["disabled_at"] is None and "password" not in response.text

    result = await client.post("/logins/password", json=login(data["username"]), headers=system)
    assert result.status_code == 200, result.text
    assert {key: result.json()[key] for key in ("role", "jurisdiction", "roles", "org_name", "unit_id")} == {
        "role": "authority",
        "jurisdiction": "110000",
        "roles": ["acceptance", "approval"],
        "org_name": "北京市规划和自然资源委员会",
        "unit_id": None,
    }
    me = await client.get("/me", headers=sign(account_id=body["account_id"], role="authority", jurisdiction="110000"))
    mine = me.json()
    assert (mine["roles"], mine["org_name"], mine["verified"]) == (["acceptance", "approval"], body["org_name"], False)
    stored = await pool.fetchrow("SELECT password_hash, roles FROM accounts WHERE id = $1::uuid", body["account_id"])
    assert stored is not None
    assert stored["password_hash"].startswith("$argon2id$") and stored["roles"] == ["acceptance", "approval"]


async def test_the_audit_names_the_administrator_who_acted(
    client: Client, sign: Callable[..., Headers], pool: asyncpg.Pool[Any]
) -> None:
    acting = sign(account_id="4a0f8a66-5c5e-4a4e-9c43-1f2bb8f1e001", role="admin", jurisdiction="000000")
    created = await client.post("/authority-accounts", json=an_authority_account(), headers=acting)
    account_id = created.json()["account_id"]
    await client.post(f"/authority-accounts/{account_id}/disable", headers=acting)
    rows = await pool.fetch(
        "SELECT action, actor FROM account_audit WHERE account_id = $1::uuid ORDER BY id", account_id
    )
    assert [(row["action"], row["actor"]) for row in rows] == [
        ("created", "4a0f8a66-5c5e-4a4e-9c43-1f2bb8f1e001"),
        ("disabled", "4a0f8a66-5c5e-4a4e-9c43-1f2bb8f1e001"),
    ]


async def test_a_taken_username_is_409_in_chinese_whatever_its_case(
    client: Client, admin: Headers, register: Callable[..., Any], pool: asyncpg.Pool[Any]
) -> None:
    unit = await register()
    before = await count_accounts(pool)
    response = await client.post(
        "/authority-accounts", json=an_authority_account(username=unit["username"].upper()), headers=admin
    )
    assert response.status_code == 409
    assert response.json() == {
        "code": "identity.username_taken",
        "message": "该用户名已被使用，请更换用户名",
        "details": {"field": "$.username"},
    }
    assert await count_accounts(pool) == before


@pytest.mark.parametrize(
    ("overrides", "field", "code"),
    [
        ({"jurisdiction": "110100"}, "$.jurisdiction", "identity.invalid_jurisdiction"),  # a city, not a province
        ({"jurisdiction": "990000"}, "$.jurisdiction", "identity.invalid_jurisdiction"),
        ({"jurisdiction": "11000"}, "$.jurisdiction", "invalid_input"),
        ({"roles": []}, "$.roles", "invalid_input"),
        ({"roles": ["boss"]}, "$.roles[0]", "invalid_input"),
        ({"password": "weakpass"}, "$.password", "identity.weak_password"),
        ({"org_name": "   "}, "$.org_name", "identity.blank_field"),
        ({"username": "1abc"}, "$.username", "invalid_input"),
    ],
)
async def test_bad_input_names_its_field_and_writes_nothing(
    client: Client, admin: Headers, pool: asyncpg.Pool[Any], overrides: dict[str, Any], field: str, code: str
) -> None:
    before = await count_accounts(pool)
    response = await client.post("/authority-accounts", json=an_authority_account(**overrides), headers=admin)
    assert response.status_code == 400, response.text
    body = response.json()
    fields = (
        [item["field"] for item in body["details"]] if isinstance(body["details"], list) else [body["details"]["field"]]
    )
    assert (body["code"], fields[0]) == (code, field)
    assert any("\u4e00" <= char <= "\u9fff" for char in body["message"])
    assert await count_accounts(pool) == before


@pytest.mark.parametrize("jurisdiction", ["000000", "650000", "540000"])
async def test_the_ministry_and_every_province_are_jurisdictions(
    add_authority: Callable[..., Any], jurisdiction: str
) -> None:
    assert (await add_authority(jurisdiction=jurisdiction))["jurisdiction"] == jurisdiction


@pytest.mark.parametrize(
    "caller",
    [
        {"role": "unit", "unit_id": "00000000-0000-0000-0000-000000000001"},
        {"role": "authority", "jurisdiction": "000000", "roles": ROLES},
        {"role": "system"},
    ],
)
async def test_only_the_administrator_manages_authority_accounts(
    client: Client,
    sign: Callable[..., Headers],
    add_authority: Callable[..., Any],
    caller: dict[str, Any],
    pool: asyncpg.Pool[Any],
) -> None:
    target = await add_authority()
    headers = sign(**caller)
    before = await count_accounts(pool)
    answers = [
        await client.post("/authority-accounts", json=an_authority_account(), headers=headers),
        await client.get("/authority-accounts", headers=headers),
        await client.post(f"/authority-accounts/{target['account_id']}/disable", headers=headers),
    ]
    for answer in answers:
        assert answer.status_code == 403, answer.text
        assert answer.json()["code"] == "identity.admin_only"
        assert answer.json()["message"] == "仅限系统管理员操作"
    assert await count_accounts(pool) == before
    assert await pool.fetchval("SELECT disabled_at FROM accounts WHERE id = $1::uuid", target["account_id"]) is None


async def test_the_list_is_paginated_newest_first(
    client: Client, admin: Headers, add_authority: Callable[..., Any]
) -> None:
    created = [(await add_authority())["account_id"] for _ in range(3)]
    first = (await client.get("/authority-accounts?page=1&page_size=2", headers=admin)).json()
    second = (await client.get("/authority-accounts?page=2&page_size=2", headers=admin)).json()
    assert (first["total"], first["page"], first["page_size"]) == (3, 1, 2)
    assert [item["account_id"] for item in first["items"] + second["items"]] == created[::-1]
    bad = await client.get("/authority-accounts?page_size=1000", headers=admin)
    assert bad.status_code == 400 and bad.json()["code"] == "invalid_input"


async def test_a_disabled_account_cannot_log_in_and_disabling_again_changes_nothing(
    client: Client, admin: Headers, system: Headers, add_authority: Callable[..., Any], pool: asyncpg.Pool[Any]
) -> None:
    account = await add_authority()
    first = await client.post(f"/authority-accounts/{account['account_id']}/disable", headers=admin)
    again = await client.post(f"/authority-accounts/{account['account_id']}/disable", headers=admin)
    assert first.status_code == again.status_code == 200
    assert first.json()["disabled_at"] is not None and again.json() == first.json()
    audits = await pool.fetchval(
        "SELECT count(*) FROM account_audit WHERE account_id = $1::uuid AND action = 'disabled'", account["account_id"]
    )
    assert audits == 1

    refused = await client.post("/logins/password", json=login(account["username"]), headers=system)
    assert refused.status_code == 403 and refused.json() == DISABLED
    wrong = await client.post("/logins/password", json=login(account["username"], "Wr0ng-pass"), headers=system)
    assert wrong.status_code == 401  # the wrong password learns nothing about the account
    reasons = await pool.fetch(
        "SELECT reason FROM login_audit WHERE account_id = $1::uuid ORDER BY id", account["account_id"]
    )
    assert [row["reason"] for row in reasons] == ["disabled", "wrong_password"]
    listed = (await client.get("/authority-accounts", headers=admin)).json()["items"]
    assert [item["disabled_at"] for item in listed if item["account_id"] == account["account_id"]] == [
        first.json()["disabled_at"]
    ]


async def test_only_authority_accounts_can_be_disabled(
    client: Client, admin: Headers, register: Callable[..., Any]
) -> None:
    unit = await register()
    for account_id in (unit["account_id"], "00000000-0000-0000-0000-000000000009", "not-a-uuid"):
        response = await client.post(f"/authority-accounts/{account_id}/disable", headers=admin)
        assert response.status_code == 404, response.text
        assert response.json()["code"] == "identity.account_not_found"


def _fresh_credit_code() -> str:
    body = "91110108" + "".join(random.SystemRandom().choices(CREDIT_CODE_CHARSET, k=9))
    return body + credit_code_check_char(body)


# --- the database decides: a unit never holds an authority role ------------------------------------


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(roles=st.lists(st.sampled_from(ROLES), min_size=1, max_size=3))
async def test_a_unit_account_can_never_hold_a_role(
    register: Callable[..., Any], pool: asyncpg.Pool[Any], roles: list[str]
) -> None:
    unit = await register(credit_code=_fresh_credit_code())  # hypothesis seeds ``random``: not the builder's
    with pytest.raises(asyncpg.CheckViolationError):
        await pool.execute("UPDATE accounts SET roles = $2 WHERE id = $1::uuid", unit["account_id"], roles)
    with pytest.raises(asyncpg.CheckViolationError):
        await pool.execute(
            "UPDATE accounts SET roles = $2, jurisdiction = '110000', org_name = '某机关' WHERE id = $1::uuid",
            unit["account_id"],
            roles,
        )
    assert await pool.fetchval("SELECT roles FROM accounts WHERE id = $1::uuid", unit["account_id"]) == []


async def test_a_unit_account_has_no_jurisdiction_and_an_authority_needs_one_and_a_role(
    register: Callable[..., Any], add_authority: Callable[..., Any], pool: asyncpg.Pool[Any]
) -> None:
    unit, authority = await register(), await add_authority()
    statements = [
        ("UPDATE accounts SET jurisdiction = '110000' WHERE id = $1::uuid", unit),
        ("UPDATE accounts SET roles = '{}' WHERE id = $1::uuid", authority),
        ("UPDATE accounts SET jurisdiction = NULL WHERE id = $1::uuid", authority),
        ("UPDATE accounts SET jurisdiction = '11' WHERE id = $1::uuid", authority),
        ("UPDATE accounts SET roles = '{acceptance,boss}' WHERE id = $1::uuid", authority),
        ("UPDATE accounts SET org_name = ' ' WHERE id = $1::uuid", authority),
    ]
    for statement, account in statements:
        with pytest.raises(asyncpg.CheckViolationError):
            await pool.execute(statement, account["account_id"])
