"""Internal tokens: minted per (key, audience) and reused for a third of their life; audience and
issuer checked by every service; a revoked session's token dies within seconds."""

from __future__ import annotations

import pytest

from contracts.auth import Caller
from services.kernel import (
    BaseSettings,
    TokenMinter,
    TokenSigner,
    TokenVerifier,
    UnauthorizedError,
    generate_keypair,
    load_settings,
    service_caller,
)
from services.kernel.registry import SERVICE_NAMES, audience_for

PRIVATE, PUBLIC = generate_keypair()
STAFFING_PRIVATE, STAFFING_PUBLIC = generate_keypair()
CALLER = Caller(account_id="acc-1", role="unit", unit_id="unit-1", username="unita", session_id="s1")


def verifier_of(service: str, *, leeway: int = 0) -> TokenVerifier:
    return TokenVerifier(PUBLIC, audience=service, service_keys={"staffing": STAFFING_PUBLIC}, leeway_seconds=leeway)


def test_a_token_is_reused_within_the_reuse_period_and_then_renewed() -> None:
    minter = TokenMinter(TokenSigner(PRIVATE, ttl_seconds=3), reuse_seconds=1)

    first = minter.token("s1", CALLER, audience=["identity"], now=1000)
    again = minter.token("s1", CALLER, audience=["identity"], now=1000.9)
    later = minter.token("s1", CALLER, audience=["identity"], now=1001)

    assert again == first
    assert later != first
    assert verifier_of("identity").verify(later, now=1001 + 2.9) == CALLER


def test_each_audience_gets_its_own_token() -> None:
    minter = TokenMinter(TokenSigner(PRIVATE), reuse_seconds=60)

    assert minter.token("s1", CALLER, audience=["identity"], now=1) != minter.token(
        "s1", CALLER, audience=["staffing"], now=1
    )


def test_forgetting_a_session_drops_all_its_tokens() -> None:
    minter = TokenMinter(TokenSigner(PRIVATE), reuse_seconds=60)
    first = [minter.token("s1", CALLER, audience=[name], now=1000) for name in ("identity", "staffing")]
    minter.forget("s1")

    assert [minter.token("s1", CALLER, audience=[name], now=1001) for name in ("identity", "staffing")] != first


def test_the_cache_stays_bounded() -> None:
    minter = TokenMinter(TokenSigner(PRIVATE), reuse_seconds=60, max_entries=10)
    for n in range(100):
        minter.token(f"s{n}", CALLER, audience=["identity"], now=1000 + n * 61)

    assert len(minter._cache) <= 10


@pytest.mark.parametrize("target", SERVICE_NAMES)
def test_a_service_refuses_a_token_minted_for_another(target: str) -> None:
    token = TokenSigner(PRIVATE).sign(CALLER, audience=audience_for(target))

    assert verifier_of(target).verify(token) == CALLER
    for other in set(SERVICE_NAMES) - set(audience_for(target)):
        with pytest.raises(UnauthorizedError) as refused:
            verifier_of(other).verify(token)
        assert refused.value.code == "wrong_audience"


def test_a_token_without_audience_is_refused() -> None:
    with pytest.raises(UnauthorizedError, match="不适用"):
        verifier_of("identity").verify(TokenSigner(PRIVATE).sign(CALLER, audience=()))


def test_a_callers_token_for_applications_may_be_forwarded_to_the_services_it_calls() -> None:
    token = TokenSigner(PRIVATE).sign(CALLER, audience=audience_for("applications"))

    for downstream in ("staffing", "documents", "standards"):
        assert verifier_of(downstream).verify(token) == CALLER
    with pytest.raises(UnauthorizedError):
        verifier_of("identity").verify(token)


def test_a_service_signs_only_for_itself() -> None:
    staffing = TokenSigner(STAFFING_PRIVATE, issuer="staffing")

    own = staffing.sign(service_caller("staffing"), audience=["standards"])
    assert verifier_of("standards").verify(own) == Caller(account_id="service:staffing", role="system")
    for impostor in (CALLER, Caller(account_id="admin", role="admin"), service_caller("identity")):
        with pytest.raises(UnauthorizedError) as refused:
            verifier_of("standards").verify(staffing.sign(impostor, audience=["standards"]))
        assert refused.value.code == "invalid_token"


def test_a_service_cannot_pass_its_key_off_as_the_gateways() -> None:
    forged = TokenSigner(STAFFING_PRIVATE, issuer="gateway").sign(CALLER, audience=["identity"])

    with pytest.raises(UnauthorizedError) as refused:
        verifier_of("identity").verify(forged)
    assert refused.value.code == "invalid_token"


def test_an_unknown_issuer_is_refused() -> None:
    token = TokenSigner(generate_keypair()[0], issuer="elsewhere").sign(
        service_caller("elsewhere"), audience=["identity"]
    )

    with pytest.raises(UnauthorizedError):
        verifier_of("identity").verify(token)


def test_a_revoked_sessions_last_token_dies_within_five_seconds() -> None:
    """Revocation needs no message: the worker that ends a session stops minting at once, the
    gateway's other workers within SESSION_CACHE_SECONDS, and the last token minted dies after
    its TTL plus the leeway — all of it within five seconds of the revocation, by the defaults."""
    from gateway.settings import GatewaySettings

    service = load_settings(BaseSettings, {}, service_name="identity")
    gateway = load_settings(GatewaySettings, {})
    minter = TokenMinter.for_signer(TokenSigner(PRIVATE, ttl_seconds=gateway.token_ttl_seconds), 3)
    verifier = verifier_of("identity", leeway=service.token_leeway_seconds)
    revoked_at = 1000.0
    last_minted = revoked_at + gateway.session_cache_seconds  # another worker still had it cached
    last = minter.token("s1", CALLER, audience=["identity"], now=last_minted)

    assert verifier.verify(last, now=last_minted) == CALLER
    with pytest.raises(UnauthorizedError) as refused:
        verifier.verify(last, now=revoked_at + 5)
    assert refused.value.code == "expired_token"


def test_the_ttl_setting_is_bounded() -> None:
    from services.kernel import SettingsError

    with pytest.raises(SettingsError, match="TOKEN_TTL_SECONDS"):
        load_settings(BaseSettings, {"TOKEN_TTL_SECONDS": "3600"})
