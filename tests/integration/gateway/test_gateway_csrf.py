"""CSRF: every state-changing form and /api call needs the visitor's token; safe methods do not."""

from __future__ import annotations

import httpx
import msgspec

from contracts.errors import ErrorBody
from tests.builders.identity import a_registration

CSRF_BODY = {
    "code": "csrf_failed",
    "message": "页面已过期或请求来源无效，请刷新页面后重试",
    "details": None,
}


def assert_csrf_refusal(response: httpx.Response) -> None:
    """An /api refusal: 403 with exactly the ErrorBody of ``csrf_failed``."""
    assert response.status_code == 403, response.text
    assert response.headers["content-type"].startswith("application/json")
    assert msgspec.json.decode(response.content, type=ErrorBody, strict=True) == ErrorBody(**CSRF_BODY)
    assert response.json() == CSRF_BODY  # no field beyond code, message and details


def assert_refused_form(response: httpx.Response) -> None:
    """A form refusal: 403, the page again with the message and a fresh token, and no session."""
    assert response.status_code == 403, response.text
    assert response.headers["content-type"].startswith("text/html")
    assert CSRF_BODY["message"] in response.text
    assert 'name="_csrf"' in response.text  # a fresh form to try again
    assert "qual_session" not in response.headers.get("set-cookie", "")


async def test_the_login_form_without_a_token_is_refused_and_re_rendered(launch, identity, unit_a, portal) -> None:
    gateway = await launch(identity=identity.url)
    visitor = portal(gateway)
    await visitor.page_token("/login")  # has the nonce cookie, but does not send the token
    credentials = {"username": unit_a.username, "password": unit_a.password}

    missing = await visitor.http.post("/login", data=credentials)
    wrong = await visitor.http.post("/login", data={**credentials, "_csrf": "0" * 64})

    assert_refused_form(missing)
    assert_refused_form(wrong)
    assert await identity.logins() == []  # identity was never asked


async def test_a_token_from_another_browser_is_refused(launch, identity, unit_a, portal) -> None:
    gateway = await launch(identity=identity.url)
    attacker, victim = portal(gateway), portal(gateway)
    attackers_token = await attacker.page_token("/login")
    await victim.page_token("/login")

    response = await victim.http.post(
        "/login", data={"username": unit_a.username, "password": unit_a.password, "_csrf": attackers_token}
    )

    assert_refused_form(response)
    assert await identity.logins() == []


async def test_the_register_form_needs_its_token(launch, identity, portal) -> None:
    gateway = await launch(identity=identity.url)
    visitor = portal(gateway)
    await visitor.page_token("/register")

    response = await visitor.http.post("/register", data=a_registration())

    assert_refused_form(response)
    assert await identity.app.state.runtime.pool.fetchval("SELECT count(*) FROM accounts") == 0


async def test_logout_without_the_sessions_token_keeps_the_session(launch, identity, unit_a, portal) -> None:
    gateway = await launch(identity=identity.url)
    visitor = portal(gateway)
    await visitor.login(unit_a.username, unit_a.password)

    refused = await visitor.http.post("/logout", data={})
    still_in = await visitor.http.get("/")

    assert refused.status_code == 403
    assert CSRF_BODY["message"] in refused.text
    assert "max-age=0" not in refused.headers.get("set-cookie", "").lower()
    assert still_in.status_code == 200


async def test_api_state_changes_need_the_header(launch, identity, unit_a, echo, portal) -> None:
    gateway = await launch(identity=identity.url, applications=echo)
    visitor = portal(gateway)
    await visitor.login(unit_a.username, unit_a.password)
    token = await visitor.session_token()

    missing = await visitor.http.post("/api/applications/echo/works", json={"a": 1})
    wrong = await visitor.http.delete("/api/applications/echo/works/1", headers={"x-csrf-token": "f" * 64})
    accepted = await visitor.http.post("/api/applications/echo/works", json={"a": 1}, headers={"x-csrf-token": token})
    read = await visitor.http.get("/api/applications/echo/works")

    assert_csrf_refusal(missing)
    assert_csrf_refusal(wrong)
    assert accepted.status_code == 201
    assert accepted.json()["caller"]["username"] == unit_a.username
    assert "x-csrf-token" not in {name for name, _ in accepted.json()["headers"]}
    assert read.status_code == 200  # safe methods are exempt
    assert read.json()["method"] == "GET"


async def test_a_session_token_is_bound_to_its_session(launch, identity, unit_a, unit_b, echo, portal) -> None:
    gateway = await launch(identity=identity.url, applications=echo)
    a, b = portal(gateway), portal(gateway)
    await a.login(unit_a.username, unit_a.password)
    await b.login(unit_b.username, unit_b.password)
    token_a = await a.session_token()

    response = await b.http.put("/api/applications/echo/works/1", json={}, headers={"x-csrf-token": token_a})

    assert_csrf_refusal(response)


async def test_the_session_token_changes_at_login(launch, identity, unit_a, portal) -> None:
    gateway = await launch(identity=identity.url)
    visitor = portal(gateway)
    anonymous = await visitor.page_token("/login")
    await visitor.login(unit_a.username, unit_a.password)
    first = await visitor.session_token()
    await visitor.http.post("/logout", data={"_csrf": first})
    await visitor.login(unit_a.username, unit_a.password)
    second = await visitor.session_token()

    assert len({anonymous, first, second}) == 3


async def test_anonymous_api_state_changes_need_the_signed_token(launch, echo, portal) -> None:
    gateway = await launch(registry=echo)
    visitor = portal(gateway)

    refused = await visitor.http.post("/api/registry/echo/verify", json={})
    token = await visitor.page_token("/login")
    accepted = await visitor.http.post("/api/registry/echo/verify", json={}, headers={"x-csrf-token": token})

    assert_csrf_refusal(refused)
    assert accepted.status_code == 201
    assert accepted.json()["caller"] is None
