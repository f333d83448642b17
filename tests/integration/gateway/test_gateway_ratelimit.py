"""Login rate limits per client IP and per username → 429 with a Chinese message on the login page."""

from __future__ import annotations

RATE_MESSAGE = "登录尝试过于频繁，请稍后再试"


async def test_too_many_attempts_from_one_ip_are_refused(launch, fake_identity, portal) -> None:
    gateway = await launch(identity=fake_identity.url, login_limit_per_ip=3, login_limit_per_username=100)
    visitor = portal(gateway)

    answers = [await visitor.login(f"user{n}", "wrong") for n in range(3)]
    refused = await visitor.login("unita", "secret-pass-a")

    assert [answer.status_code for answer in answers] == [401, 401, 401]
    assert refused.status_code == 429
    assert RATE_MESSAGE in refused.text
    assert 'name="username"' in refused.text
    assert len(fake_identity.logins) == 3  # the refused attempt never reached identity


async def test_too_many_attempts_on_one_username_are_refused_from_any_ip(launch, fake_identity, portal) -> None:
    gateway = await launch(
        identity=fake_identity.url, login_limit_per_ip=100, login_limit_per_username=2, trust_forwarded=True
    )
    visitor = portal(gateway)

    first = await visitor.login("unita", "wrong", **{"x-forwarded-for": "10.0.0.1"})
    second = await visitor.login("UnitA", "wrong", **{"x-forwarded-for": "10.0.0.2"})
    third = await visitor.login("unita", "secret-pass-a", **{"x-forwarded-for": "10.0.0.3"})
    other = await visitor.login("unitb", "secret-pass-b", **{"x-forwarded-for": "10.0.0.3"})

    assert (first.status_code, second.status_code) == (401, 401)
    assert third.status_code == 429
    assert RATE_MESSAGE in third.text
    assert other.status_code == 303
    assert [login.client_ip for login in fake_identity.logins] == ["10.0.0.1", "10.0.0.2", "10.0.0.3"]


async def test_a_forwarded_for_header_is_ignored_unless_trusted(launch, fake_identity, portal) -> None:
    gateway = await launch(identity=fake_identity.url, login_limit_per_ip=1, login_limit_per_username=100)
    visitor = portal(gateway)

    first = await visitor.login("user1", "wrong", **{"x-forwarded-for": "10.0.0.1"})
    second = await visitor.login("user2", "wrong", **{"x-forwarded-for": "10.0.0.2"})

    assert first.status_code == 401
    assert second.status_code == 429  # both came from 127.0.0.1
