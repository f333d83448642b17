"""The internal token is minted from the session and reused for a minute."""

from __future__ import annotations

from contracts.auth import Caller
from gateway.tokens import SYSTEM_CALLER, TokenMinter
from services.kernel import TokenSigner, TokenVerifier, generate_keypair

PRIVATE, PUBLIC = generate_keypair()
CALLER = Caller(account_id="acc-1", role="unit", unit_id="unit-1", username="unita", session_id="s1")


def test_a_token_is_reused_within_the_reuse_period_and_then_renewed() -> None:
    minter = TokenMinter(TokenSigner(PRIVATE, ttl_seconds=300), reuse_seconds=60)

    first = minter.for_caller("s1", CALLER, now=1000)
    again = minter.for_caller("s1", CALLER, now=1059)
    later = minter.for_caller("s1", CALLER, now=1060)

    assert again == first
    assert later != first
    assert TokenVerifier(PUBLIC).verify(later, now=1060 + 299) == CALLER


def test_every_reused_token_has_most_of_its_life_left() -> None:
    minter = TokenMinter(TokenSigner(PRIVATE, ttl_seconds=300), reuse_seconds=60)
    token = minter.for_caller("s1", CALLER, now=1000)

    assert TokenVerifier(PUBLIC, leeway_seconds=0).verify(token, now=1059 + 240) == CALLER


def test_forgetting_a_session_drops_its_token() -> None:
    minter = TokenMinter(TokenSigner(PRIVATE), reuse_seconds=60)
    first = minter.for_caller("s1", CALLER, now=1000)
    minter.forget("s1")

    assert minter.for_caller("s1", CALLER, now=1001) != first


def test_the_anonymous_visitor_is_the_gateway_as_system() -> None:
    minter = TokenMinter(TokenSigner(PRIVATE))

    caller = TokenVerifier(PUBLIC).verify(minter.for_system())

    assert caller == SYSTEM_CALLER == Caller(account_id="gateway", role="system")


def test_the_cache_stays_bounded() -> None:
    minter = TokenMinter(TokenSigner(PRIVATE), reuse_seconds=60, max_entries=10)
    for n in range(100):
        minter.for_caller(f"s{n}", CALLER, now=1000 + n * 61)

    assert len(minter._cache) <= 10
