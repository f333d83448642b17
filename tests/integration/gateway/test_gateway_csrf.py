"""CSRF: every state-changing form and /api call needs the visitor's token; safe methods do not."""

from __future__ import annotations

CSRF_BODY = {
    "code": "csrf_failed",
    "message": "页面已过期或请求来源无效，请刷新页面后重试",
    "details": None,
}


async def test_the_login_form_without_a_token_is_refused_and_re_rendered(launch, fake_identity, portal) -> None:
    gateway = await launch(identity=fake_identity.url)
    visitor = portal(gateway)
    await visitor.page_token("/login")  # has the nonce cookie, but does not send the token

    missing = await visitor.http.post("/login", data={"username": "unita", "password": "secret-pass-a"})
    wrong = await visitor.http.post(
        "/login", data={"username": "unita", "password": "secret-pass-a", "_csrf": "0" * 64}
    )

    for response in (missing, wrong):
        assert response.status_code == 403
        assert "页面已过期或请求来源无效，请刷新页面后重试" in response.text
        assert 'name="_csrf"' in response.text  # a fresh form to try again
        assert "qual_session" not in response.headers.get("set-cookie", "")
    assert fake_identity.logins == []  # identity was never asked


async def test_a_token_from_another_browser_is_refused(launch, fake_identity, portal) -> None:
    gateway = await launch(identity=fake_identity.url)
    attacker, victim = portal(gateway), portal(gateway)
    attackers_token = await attacker.page_token("/login")
    await victim.page_token("/login")

    response = await victim.http.post(
        "/login", data={"username": "unita", "password": "secret-pass-a", "_csrf": attackers_token}
    )

    assert response.status_code == 403


async def test_the_register_form_needs_its_token(launch, fake_identity, portal) -> None:
    gateway = await launch(identity=fake_identity.url)
    visitor = portal(gateway)
    await visitor.page_token("/register")

    response = await visitor.http.post("/register", data={"username": "newunit"})

    assert response.status_code == 403
    assert "页面已过期或请求来源无效" in response.text


async def test_logout_without_the_sessions_token_keeps_the_session(launch, fake_identity, portal) -> None:
    gateway = await launch(identity=fake_identity.url)
    visitor = portal(gateway)
    await visitor.login("unita", "secret-pass-a")

    refused = await visitor.http.post("/logout", data={})
    still_in = await visitor.http.get("/")

    assert refused.status_code == 403
    assert "页面已过期或请求来源无效" in refused.text
    assert still_in.status_code == 200


async def test_api_state_changes_need_the_header(launch, fake_identity, echo, portal) -> None:
    gateway = await launch(identity=fake_identity.url, applications=echo)
    visitor = portal(gateway)
    await visitor.login("unita", "secret-pass-a")
    token = await visitor.session_token()

    missing = await visitor.http.post("/api/applications/echo/works", json={"a": 1})
    wrong = await visitor.http.delete("/api/applications/echo/works/1", headers={"x-csrf-token": "f" * 64})
    accepted = await visitor.http.post("/api/applications/echo/works", json={"a": 1}, headers={"x-csrf-token": token})
    read = await visitor.http.get("/api/applications/echo/works")

    assert missing.status_code == 403
    assert missing.json() == CSRF_BODY
    assert wrong.status_code == 403
    assert wrong.json() == CSRF_BODY
    assert accepted.status_code == 201
    assert accepted.json()["caller"]["username"] == "unita"
    assert "x-csrf-token" not in {name for name, _ in accepted.json()["headers"]}
    assert read.status_code == 200  # safe methods are exempt


async def test_a_session_token_is_bound_to_its_session(launch, fake_identity, echo, portal) -> None:
    gateway = await launch(identity=fake_identity.url, applications=echo)
    a, b = portal(gateway), portal(gateway)
    await a.login("unita", "secret-pass-a")
    await b.login("unitb", "secret-pass-b")
    token_a = await a.session_token()

    response = await b.http.put("/api/applications/echo/works/1", json={}, headers={"x-csrf-token": token_a})

    assert response.status_code == 403
    assert response.json()["code"] == "csrf_failed"


async def test_the_session_token_changes_at_login(launch, fake_identity, portal) -> None:
    gateway = await launch(identity=fake_identity.url)
    visitor = portal(gateway)
    anonymous = await visitor.page_token("/login")
    await visitor.login("unita", "secret-pass-a")
    first = await visitor.session_token()
    await visitor.http.post("/logout", data={"_csrf": first})
    await visitor.login("unita", "secret-pass-a")
    second = await visitor.session_token()

    assert len({anonymous, first, second}) == 3


async def test_anonymous_api_state_changes_need_the_signed_token(launch, echo, portal) -> None:
    gateway = await launch(registry=echo)
    visitor = portal(gateway)

    refused = await visitor.http.post("/api/registry/echo/verify", json={})
    token = await visitor.page_token("/login")
    accepted = await visitor.http.post("/api/registry/echo/verify", json={}, headers={"x-csrf-token": token})

    assert refused.status_code == 403
    assert accepted.status_code == 201
    assert accepted.json()["caller"] is None
