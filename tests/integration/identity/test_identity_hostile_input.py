"""Hostile input to identity's public use cases (注册, 账户登录): whatever arrives, the answer is a
4xx with the error body and a Chinese message, never a 500, and nothing is half-written (the
few generated forms that are valid after all are stored exactly as sent).

The cases are generated from a fixed seed (reproducible): every field of the form replaced by
values of the wrong type, overlong, with NUL bytes, lone surrogates, control characters, SQL and
markup; fields missing or added; bodies that are not JSON objects at all.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable, Iterator
from typing import Any

import asyncpg
import httpx

from tests.builders.hostile import NASTY_VALUES
from tests.builders.identity import a_registration

CASES = 150


def _bodies(seed: int) -> Iterator[bytes]:
    rng = random.Random(seed)
    for _ in range(CASES):
        form: dict[str, Any] = a_registration()
        for field in rng.sample(sorted(form), rng.randint(1, 3)):
            form[field] = rng.choice(NASTY_VALUES)
        if rng.random() < 0.2:
            form.pop(rng.choice(sorted(form)))
        if rng.random() < 0.1:
            form[rng.choice(["role", "unit_id", "account_id", "is_admin"])] = "admin"
        yield json.dumps(form).encode()
    yield from (
        b"",
        b"null",
        b"[]",
        b'"text"',
        b"{",
        b"\xff\xfe\x00",
        b"[" * 5_000 + b"]" * 5_000,
        json.dumps({"username": "a" * 2_000_000}).encode(),
    )


def _check_refusal(response: httpx.Response, body: bytes) -> None:
    assert 400 <= response.status_code < 500, (response.status_code, body[:200], response.text[:300])
    error = response.json()
    assert isinstance(error["code"], str) and error["code"]
    assert any("\u4e00" <= char <= "\u9fff" for char in error["message"]), error


async def test_hostile_registrations_are_refused_with_a_4xx_and_write_nothing(
    client: httpx.AsyncClient, system: dict[str, str], pool: asyncpg.Pool[Any]
) -> None:
    headers = {**system, "content-type": "application/json"}
    created = 0
    for body in _bodies(seed=20261201):
        response = await client.post("/accounts", content=body, headers=headers)
        if response.status_code == 201:  # odd but acceptable (e.g. 联系人 in rare CJK characters): kept intact
            sent, kept = json.loads(body), response.json()
            assert all(kept[key] == sent[key] for key in ("username", "unit_name", "contact_name", "mobile"))
            created += 1
        else:
            _check_refusal(response, body)
    assert created < CASES // 10
    assert await pool.fetchval("SELECT count(*) FROM accounts") == created
    assert await pool.fetchval("SELECT count(*) FROM units") == created
    assert await pool.fetchval("SELECT count(*) FROM outbox") == created


async def test_hostile_logins_are_refused_with_a_4xx(
    client: httpx.AsyncClient, system: dict[str, str], register: Callable[..., Any]
) -> None:
    account = await register()
    headers = {**system, "content-type": "application/json"}
    for field in ("username", "password", "client_ip"):
        for value in NASTY_VALUES:  # every value in every field, NUL and lone surrogates included
            login: dict[str, Any] = {"username": account["username"], "password": "Wrong-pass-1", field: value}
            body = json.dumps(login).encode()
            _check_refusal(await client.post("/logins/password", content=body, headers=headers), body)
