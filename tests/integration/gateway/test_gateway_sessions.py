"""Sessions: cookie flags, hashed storage, rotation at login, revocation, idle and absolute limits."""

from __future__ import annotations

import hashlib

import httpx
import pytest

from services.identity.errors import AccountLockedError, BadCredentialsError


async def _login(gateway, username: str, password: str, helpers, **headers: str) -> httpx.Response:
    """Log in like a browser would over HTTPS: the (possibly Secure) nonce cookie is sent back."""
    async with gateway.client() as client:
        page = await client.get("/login", headers=headers)
        nonce = helpers.cookie_of(page, "qual_csrf")
    form = {"username": username, "password": password, "_csrf": helpers.csrf_in(page.text)}
    async with gateway.client() as client:
        return await client.post("/login", data=form, headers={**headers, "cookie": f"qual_csrf={nonce}"})


async def _signed_in(gateway, cookie: str) -> bool:
    """Whether the work page opens with this session cookie (else it redirects to /login)."""
    async with gateway.client(cookies={"qual_session": cookie}) as client:
        response = await client.get("/")
    assert response.status_code in (200, 302, 303)
    return response.status_code == 200


async def test_login_sets_an_httponly_lax_session_cookie(launch, identity, unit_a, helpers) -> None:
    gateway = await launch(identity=identity.url)

    response = await _login(gateway, unit_a.username, unit_a.password, helpers)

    assert response.status_code == 303
    assert response.headers["location"] == "/"
    line = helpers.set_cookies(response)["qual_session"].lower()
    assert "httponly" in line
    assert "samesite=lax" in line
    assert "path=/" in line
    assert "secure" not in line  # plain http, no trusted proxy


async def test_the_cookie_is_secure_under_https(launch, identity, unit_a, helpers) -> None:
    behind_proxy = await launch(identity=identity.url, trust_forwarded=True)
    untrusted = await launch(identity=identity.url)
    forced = await launch(identity=identity.url, cookie_secure=True)
    https = {"x-forwarded-proto": "https"}

    proxied = await _login(behind_proxy, unit_a.username, unit_a.password, helpers, **https)
    spoofed = await _login(untrusted, unit_a.username, unit_a.password, helpers, **https)
    configured = await _login(forced, unit_a.username, unit_a.password, helpers)

    assert "; secure" in helpers.set_cookies(proxied)["qual_session"].lower()
    assert "; secure" not in helpers.set_cookies(spoofed)["qual_session"].lower()
    assert "; secure" in helpers.set_cookies(configured)["qual_session"].lower()


async def test_only_a_hash_of_the_session_id_is_stored(launch, identity, unit_a, helpers) -> None:
    gateway = await launch(identity=identity.url)

    cookie = helpers.cookie_of(await _login(gateway, unit_a.username, unit_a.password, helpers), "qual_session")

    rows = await gateway.pool.fetch("SELECT id_hash, username FROM sessions")
    assert len(cookie) >= 43  # 32 random bytes
    assert [bytes(row["id_hash"]) for row in rows] == [hashlib.sha256(cookie.encode()).digest()]
    assert rows[0]["username"] == unit_a.username
    assert await _signed_in(gateway, cookie)


async def test_login_rotates_the_session_and_deletes_the_previous_one(
    launch, identity, unit_a, unit_b, helpers
) -> None:
    gateway = await launch(identity=identity.url, session_cache_seconds=0)
    first = helpers.cookie_of(await _login(gateway, unit_a.username, unit_a.password, helpers), "qual_session")

    async with gateway.client(cookies={"qual_session": first}) as client:
        page = await client.get("/login")
        assert page.status_code in (302, 303, 307)  # already signed in: straight to the work list
        work = await client.get("/")
        form = {"username": unit_b.username, "password": unit_b.password, "_csrf": helpers.csrf_in(work.text)}
        second_login = await client.post("/login", data=form)
    second = helpers.cookie_of(second_login, "qual_session")

    assert second != first
    assert not await _signed_in(gateway, first)
    assert await _signed_in(gateway, second)
    assert await gateway.pool.fetchval("SELECT count(*) FROM sessions") == 1


async def test_logout_revokes_the_session_at_once(launch, identity, unit_a, echo, portal) -> None:
    gateway = await launch(identity=identity.url, applications=echo)
    visitor = portal(gateway)
    await visitor.login(unit_a.username, unit_a.password)
    cookie = visitor.http.cookies["qual_session"]
    before = (await visitor.http.get("/api/applications/echo/x")).json()
    token = await visitor.session_token()

    response = await visitor.http.post("/logout", data={"_csrf": token})

    assert response.status_code == 303
    assert response.headers["location"].startswith("/login")
    assert "max-age=0" in response.headers["set-cookie"].lower()
    assert before["caller"]["username"] == unit_a.username
    assert not await _signed_in(gateway, cookie)
    async with gateway.client(cookies={"qual_session": cookie}) as client:
        after = (await client.get("/api/applications/echo/x")).json()
    assert after["caller"] is None
    assert await gateway.pool.fetchval("SELECT count(*) FROM sessions") == 0


async def test_a_session_ends_after_the_idle_limit(launch, identity, unit_a, helpers) -> None:
    gateway = await launch(identity=identity.url, session_cache_seconds=0, session_idle_seconds=600)
    cookie = helpers.cookie_of(await _login(gateway, unit_a.username, unit_a.password, helpers), "qual_session")
    assert await _signed_in(gateway, cookie)

    await gateway.pool.execute("UPDATE sessions SET last_seen_at = now() - interval '601 seconds'")

    assert not await _signed_in(gateway, cookie)


async def test_activity_keeps_a_session_alive(launch, identity, unit_a, helpers) -> None:
    gateway = await launch(
        identity=identity.url, session_cache_seconds=0, session_idle_seconds=600, session_touch_seconds=60
    )
    cookie = helpers.cookie_of(await _login(gateway, unit_a.username, unit_a.password, helpers), "qual_session")
    await gateway.pool.execute("UPDATE sessions SET last_seen_at = now() - interval '500 seconds'")

    assert await _signed_in(gateway, cookie)  # seen now: the idle clock restarts

    idle = await gateway.pool.fetchval("SELECT extract(epoch FROM now() - last_seen_at) FROM sessions")
    assert idle < 60


async def test_a_session_ends_at_the_absolute_limit_despite_activity(launch, identity, unit_a, helpers) -> None:
    gateway = await launch(identity=identity.url, session_cache_seconds=0)
    cookie = helpers.cookie_of(await _login(gateway, unit_a.username, unit_a.password, helpers), "qual_session")
    lifetime = await gateway.pool.fetchval("SELECT extract(epoch FROM expires_at - created_at) FROM sessions")

    await gateway.pool.execute("UPDATE sessions SET expires_at = now() - interval '1 second'")

    assert round(lifetime) == 8 * 3600
    assert not await _signed_in(gateway, cookie)


async def test_revoke_sessions_of_ends_every_session_of_the_account(launch, identity, unit_a, unit_b, helpers) -> None:
    gateway = await launch(identity=identity.url)
    a1 = helpers.cookie_of(await _login(gateway, unit_a.username, unit_a.password, helpers), "qual_session")
    a2 = helpers.cookie_of(await _login(gateway, unit_a.username, unit_a.password, helpers), "qual_session")
    b = helpers.cookie_of(await _login(gateway, unit_b.username, unit_b.password, helpers), "qual_session")
    assert await _signed_in(gateway, a1)  # now cached in the gateway

    revoked = await gateway.app.state.sessions.revoke_sessions_of(unit_a.account_id)

    assert revoked == 2
    assert not await _signed_in(gateway, a1)  # the local cache entry went with it
    assert not await _signed_in(gateway, a2)
    assert await _signed_in(gateway, b)


async def test_pages_need_a_session(launch) -> None:
    gateway = await launch()
    async with gateway.client(cookies={"qual_session": "A" * 43}) as client:
        response = await client.get("/")

    assert response.status_code in (302, 303)
    assert response.headers["location"] == "/login"


@pytest.mark.parametrize("identity", [{"login_max_failures": 2, "login_lock_minutes": 3}], indirect=True)
async def test_a_wrong_password_and_the_lockout_show_identitys_messages(launch, identity, unit_a, helpers) -> None:
    gateway = await launch(identity=identity.url)

    wrong = await _login(gateway, unit_a.username, "Wrong-pass1", helpers)
    locking = await _login(gateway, unit_a.username, "Wrong-pass1", helpers)
    locked = await _login(gateway, unit_a.username, unit_a.password, helpers)

    assert wrong.status_code == 401
    assert BadCredentialsError().message in wrong.text
    assert locking.status_code == 423
    assert AccountLockedError(3, just_locked=True, max_failures=2).message in locking.text  # 密码连续错误2次…
    assert locked.status_code == 423
    assert AccountLockedError(3).message in locked.text  # the right password does not open a locked account
    for response in (wrong, locking, locked):
        assert "qual_session" not in helpers.set_cookies(response)
        assert 'name="username"' in response.text  # the login form again
    attempts = [(unit_a.username, "127.0.0.1", reason) for reason in ("wrong_password", "locked_now", "locked")]
    assert await identity.logins() == attempts


async def test_the_work_page_offers_the_work_list(launch, identity, unit_a, portal) -> None:
    gateway = await launch(identity=identity.url)
    visitor = portal(gateway)
    await visitor.login(unit_a.username, unit_a.password)

    page = await visitor.http.get("/")

    assert page.status_code == 200
    headings = ("测绘资质办理", "工作列表", "工作类型", "证书类型", "状态", "创建时间", "新建工作", "退出")
    for text in (*headings, unit_a.unit_name):
        assert text in page.text
    assert 'data-api="/api/applications"' in page.text  # the list is the applications service's
    assert page.headers["cache-control"] == "no-store"
