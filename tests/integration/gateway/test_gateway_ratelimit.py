"""Login rate limits per client IP and per username → 429 with a Chinese message on the login page."""

from __future__ import annotations

RATE_MESSAGE = "登录尝试过于频繁，请稍后再试"


async def test_too_many_attempts_from_one_ip_are_refused(launch, identity, unit_a, portal) -> None:
    gateway = await launch(identity=identity.url, login_limit_per_ip=3, login_limit_per_username=100)
    visitor = portal(gateway)

    answers = [await visitor.login(f"user{n}", "Wrong-pass1") for n in range(3)]
    refused = await visitor.login(unit_a.username, unit_a.password)

    assert [answer.status_code for answer in answers] == [401, 401, 401]
    assert refused.status_code == 429
    assert RATE_MESSAGE in refused.text
    assert 'name="username"' in refused.text
    assert "qual_session" not in refused.headers.get("set-cookie", "")
    # the refused attempt never reached identity
    assert await identity.logins() == [(f"user{n}", "127.0.0.1", "unknown_username") for n in range(3)]


async def test_too_many_attempts_on_one_username_are_refused_from_any_ip(
    launch, identity, unit_a, unit_b, portal
) -> None:
    gateway = await launch(
        identity=identity.url, login_limit_per_ip=100, login_limit_per_username=2, trust_forwarded=True
    )
    visitor = portal(gateway)

    first = await visitor.login(unit_a.username, "Wrong-pass1", **{"x-forwarded-for": "10.0.0.1"})
    second = await visitor.login(unit_a.username.upper(), "Wrong-pass1", **{"x-forwarded-for": "10.0.0.2"})
    third = await visitor.login(unit_a.username, unit_a.password, **{"x-forwarded-for": "10.0.0.3"})
    other = await visitor.login(unit_b.username, unit_b.password, **{"x-forwarded-for": "10.0.0.3"})

    assert (first.status_code, second.status_code) == (401, 401)
    assert third.status_code == 429
    assert RATE_MESSAGE in third.text
    assert other.status_code == 303
    assert await identity.logins() == [
        (unit_a.username, "10.0.0.1", "wrong_password"),
        (unit_a.username.upper(), "10.0.0.2", "wrong_password"),
        (unit_b.username, "10.0.0.3", "ok"),
    ]


async def test_a_forwarded_for_header_is_ignored_unless_trusted(launch, identity, portal) -> None:
    gateway = await launch(identity=identity.url, login_limit_per_ip=1, login_limit_per_username=100)
    visitor = portal(gateway)

    first = await visitor.login("user1", "Wrong-pass1", **{"x-forwarded-for": "10.0.0.1"})
    second = await visitor.login("user2", "Wrong-pass1", **{"x-forwarded-for": "10.0.0.2"})

    assert first.status_code == 401
    assert second.status_code == 429  # both came from 127.0.0.1
    assert RATE_MESSAGE in second.text
    assert await identity.logins() == [("user1", "127.0.0.1", "unknown_username")]
