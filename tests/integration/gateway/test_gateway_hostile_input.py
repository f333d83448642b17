"""Hostile visitors of the portal: forged forms, odd characters, odd paths — a page or an error
body with a 4xx, never a 500, and never an account from a refused form."""

from __future__ import annotations

import random
import re
from typing import Any

from contracts.errors import ErrorBody
from services.identity.errors import AccountNotFoundError
from tests.builders.hostile import SENDABLE_STRINGS
from tests.builders.identity import a_registration

CASES = 60
CHINESE = re.compile(r"[\u4e00-\u9fff]")


async def test_hostile_register_and_login_forms_get_a_page_not_a_500(launch: Any, identity: Any, portal: Any) -> None:
    gateway = await launch(identity=identity.url)
    visitor = portal(gateway)
    rng = random.Random(1201)
    for _ in range(CASES):
        form = a_registration()
        for field in rng.sample(sorted(form), rng.randint(1, 3)):
            form[field] = rng.choice(SENDABLE_STRINGS)
        token = await visitor.page_token("/register")
        registered = await visitor.http.post("/register", data={**form, "_csrf": token})
        assert registered.status_code in (303, 400, 409, 413, 422), (form, registered.status_code)
        if registered.status_code != 303:
            assert "注册" in registered.text  # the form again, with the refusal
        token = await visitor.page_token("/login")
        login = {"username": rng.choice(SENDABLE_STRINGS), "password": rng.choice(SENDABLE_STRINGS), "_csrf": token}
        answer = await visitor.http.post("/login", data=login)
        assert 400 <= answer.status_code < 500, (login, answer.status_code)


ODD_REQUESTS = [
    ("GET", "/api/identity/%00", 404, "not_found"),
    ("GET", "/api/identity/..%2f..%2fetc%2fpasswd", 404, "not_found"),
    ("GET", "/api/nosuchservice/x", 404, "unknown_service"),
    ("GET", "/api/", 404, "unknown_service"),
    ("GET", "/api/identity/me?x=" + "a" * 4000, 401, "missing_token"),
    ("DELETE", "/api/identity/me", 403, "csrf_failed"),
    ("GET", "/static/../app.py", 404, "not_found"),
    ("GET", "/" + "测" * 300, 404, "not_found"),
]


async def test_odd_paths_and_methods_are_4xx_error_bodies(
    launch: Any, identity: Any, portal: Any, helpers: Any
) -> None:
    gateway = await launch(identity=identity.url)
    http = portal(gateway).http
    for method, path, status, code in ODD_REQUESTS:
        response = await http.request(method, path)
        assert response.status_code == status, (method, path, response.status_code, response.text[:200])
        error = helpers.error_of(response)
        assert error.code == code, (method, path, error)
        assert CHINESE.search(error.message), (method, path, error)


async def test_a_signed_in_unit_cannot_reach_another_units_account_through_the_gateway(
    launch: Any, identity: Any, portal: Any, helpers: Any
) -> None:
    gateway = await launch(identity=identity.url)
    owner, intruder = portal(gateway), portal(gateway)
    forms = [a_registration(), a_registration()]
    for visitor, form in zip((owner, intruder), forms, strict=True):
        token = await visitor.page_token("/register")
        assert (await visitor.http.post("/register", data={**form, "_csrf": token})).status_code == 303
        assert (await visitor.login(form["username"], form["password"])).status_code == 303
    victim = (await owner.http.get("/api/identity/me")).json()
    stolen = await intruder.http.get(f"/api/identity/accounts/{victim['account_id']}")
    assert stolen.status_code == 404
    not_found = AccountNotFoundError()
    assert helpers.error_of(stolen) == ErrorBody(code=not_found.code, message=not_found.message)
    assert victim["username"] not in stolen.text
