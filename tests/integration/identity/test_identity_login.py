"""账户登录 on real PostgreSQL: one refusal for unknown user and wrong password, lockout, audit."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import argon2
import asyncpg
import httpx
import pytest

from tests.fixtures.infra import random_ref

Headers = dict[str, str]
PASSWORD = "Str0ng-pass"
BAD_CREDENTIALS = {"code": "identity.bad_credentials", "message": "用户名或密码错误", "details": None}


def attempt(username: str, password: str = PASSWORD, ip: str = "10.1.2.3") -> dict[str, str]:
    return {"username": username, "password": password, "client_ip": ip}


async def audit_reasons(pool: asyncpg.Pool[Any], account_id: str) -> list[str]:
    rows = await pool.fetch("SELECT reason FROM login_audit WHERE account_id = $1::uuid ORDER BY id", account_id)
    return [row["reason"] for row in rows]


async def test_login_returns_the_account_for_the_session(
    client: httpx.AsyncClient, system: Headers, register: Callable[..., Any], pool: asyncpg.Pool[Any]
) -> None:
    account = await register(username="Mapper_" + random_ref())
    response = await client.post("/logins/password", json=attempt(account["username"].upper()), headers=system)
    assert response.status_code == 200
    assert response.json() == {
        "account_id": account["account_id"],
        "username": account["username"],
        "role": "unit",
        "unit_id": account["unit_id"],
        "unit_name": account["unit_name"],
        "jurisdiction": None,
        "roles": [],
        "org_name": None,
    }
    row = await pool.fetchrow("SELECT * FROM login_audit WHERE account_id = $1::uuid", account["account_id"])
    assert row is not None
    assert (row["success"], row["reason"], row["client_ip"]) == (True, "ok", "10.1.2.3")


async def test_unknown_user_and_wrong_password_get_the_same_refusal(
    client: httpx.AsyncClient, system: Headers, register: Callable[..., Any], pool: asyncpg.Pool[Any]
) -> None:
    account = await register()
    wrong = await client.post("/logins/password", json=attempt(account["username"], "Wrong-pass1"), headers=system)
    unknown = await client.post("/logins/password", json=attempt("nobody_" + random_ref()), headers=system)
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json() == unknown.json() == BAD_CREDENTIALS
    assert await audit_reasons(pool, account["account_id"]) == ["wrong_password"]
    stranger = await pool.fetchrow("SELECT * FROM login_audit WHERE account_id IS NULL")
    assert stranger is not None and (stranger["success"], stranger["reason"]) == (False, "unknown_username")


async def test_an_unknown_username_costs_the_same_password_verification_as_a_known_one(
    client: httpx.AsyncClient, system: Headers, register: Callable[..., Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Timing must not tell which usernames exist: an unknown one still costs one argon2 verification,
    against a hash of the same parameters (memory, time, parallelism) as a real account's."""
    verified: list[str] = []
    real_verify = argon2.PasswordHasher.verify

    def spy(self: argon2.PasswordHasher, hash: str | bytes, password: str | bytes) -> bool:
        verified.append(hash.decode() if isinstance(hash, bytes) else hash)
        return real_verify(self, hash, password)

    monkeypatch.setattr(argon2.PasswordHasher, "verify", spy)
    account = await register()
    wrong = await client.post("/logins/password", json=attempt(account["username"], "Wrong-pass1"), headers=system)
    assert (wrong.status_code, len(verified)) == (401, 1)
    unknown = await client.post("/logins/password", json=attempt("nobody_" + random_ref()), headers=system)
    assert unknown.status_code == 401
    assert unknown.json() == BAD_CREDENTIALS
    assert len(verified) == 2, "the unknown username skipped the password verification"
    known_cost, unknown_cost = (argon2.extract_parameters(item) for item in verified)
    assert unknown_cost == known_cost
    assert verified[1] != verified[0]  # a decoy, not another account's hash


async def test_five_wrong_passwords_lock_the_account_for_fifteen_minutes(
    client: httpx.AsyncClient, system: Headers, register: Callable[..., Any], pool: asyncpg.Pool[Any]
) -> None:
    account = await register()
    wrong = attempt(account["username"], "Wrong-pass1")
    for _ in range(4):
        assert (await client.post("/logins/password", json=wrong, headers=system)).status_code == 401
    fifth = await client.post("/logins/password", json=wrong, headers=system)
    assert fifth.status_code == 423
    assert fifth.json() == {
        "code": "identity.account_locked",
        "message": "密码连续错误5次，账户已锁定，请15分钟后再试",
        "details": {"minutes": 15},
    }
    right = await client.post("/logins/password", json=attempt(account["username"]), headers=system)
    assert right.status_code == 423
    assert right.json()["message"] == "账户已锁定，请15分钟后再试"
    assert await audit_reasons(pool, account["account_id"]) == ["wrong_password"] * 4 + ["locked_now", "locked"]


async def test_the_lock_ends_after_its_time(
    client: httpx.AsyncClient, system: Headers, register: Callable[..., Any], pool: asyncpg.Pool[Any]
) -> None:
    account = await register()
    for _ in range(5):
        await client.post("/logins/password", json=attempt(account["username"], "Wrong-pass1"), headers=system)
    # Fifteen minutes pass: move the lock's end into the past rather than wait.
    await pool.execute(
        "UPDATE accounts SET locked_until = now() - interval '1 second' WHERE id = $1::uuid", account["account_id"]
    )
    after = await client.post("/logins/password", json=attempt(account["username"]), headers=system)
    assert after.status_code == 200
    again = await client.post("/logins/password", json=attempt(account["username"], "Wrong-pass1"), headers=system)
    assert again.status_code == 401  # the count starts afresh after a lock


async def test_a_success_resets_the_count(
    client: httpx.AsyncClient, system: Headers, register: Callable[..., Any]
) -> None:
    account = await register()
    wrong, right = attempt(account["username"], "Wrong-pass1"), attempt(account["username"])
    statuses = []
    for body in [wrong] * 4 + [right] + [wrong] * 4 + [right]:
        statuses.append((await client.post("/logins/password", json=body, headers=system)).status_code)
    assert statuses == [401] * 4 + [200] + [401] * 4 + [200]


async def test_concurrent_wrong_guesses_cannot_exceed_the_limit(
    client: httpx.AsyncClient, system: Headers, register: Callable[..., Any], pool: asyncpg.Pool[Any]
) -> None:
    account = await register()
    wrong = attempt(account["username"], "Wrong-pass1")
    responses = await asyncio.gather(*(client.post("/logins/password", json=wrong, headers=system) for _ in range(10)))
    assert sorted(response.status_code for response in responses) == [401] * 4 + [423] * 6
    reasons = await audit_reasons(pool, account["account_id"])
    assert sorted(reasons) == sorted(["wrong_password"] * 4 + ["locked_now"] + ["locked"] * 5)


@pytest.mark.parametrize("app", [{"login_max_failures": 2, "login_lock_minutes": 3}], indirect=True)
async def test_the_lockout_figures_come_from_settings(
    client: httpx.AsyncClient, system: Headers, register: Callable[..., Any]
) -> None:
    account = await register()
    wrong = attempt(account["username"], "Wrong-pass1")
    assert (await client.post("/logins/password", json=wrong, headers=system)).status_code == 401
    second = await client.post("/logins/password", json=wrong, headers=system)
    assert (second.status_code, second.json()["message"]) == (423, "密码连续错误2次，账户已锁定，请3分钟后再试")
    assert second.json()["details"] == {"minutes": 3}


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"username": "", "password": "x"}, "$.username"),
        ({"username": "abc", "password": ""}, "$.password"),
        ({"username": "abc", "password": "x", "remember": True}, "$.remember"),
        ({"username": ["abc"], "password": "x"}, "$.username"),
    ],
)
async def test_malformed_login_is_400_naming_the_field(
    client: httpx.AsyncClient, system: Headers, body: dict[str, Any], field: str
) -> None:
    response = await client.post("/logins/password", json=body, headers=system)
    assert response.status_code == 400
    assert response.json()["details"][0]["field"] == field
