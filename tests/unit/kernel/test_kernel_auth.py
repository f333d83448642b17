"""The internal identity token: signed by the gateway's key, verified by services."""

from __future__ import annotations

import time

import pytest

from contracts.auth import Caller
from services.kernel import BaseSettings, SettingsError, TokenSigner, TokenVerifier, UnauthorizedError, generate_keypair
from services.kernel.auth import dev_keypair

CALLER = Caller(account_id="a1", role="unit", unit_id="u1")


def test_a_signed_token_verifies_to_the_same_caller() -> None:
    private, public = generate_keypair()
    token = TokenSigner(private).sign(CALLER)
    assert TokenVerifier(public).verify(token) == CALLER


def test_a_token_signed_by_another_key_is_refused() -> None:
    forged = TokenSigner(generate_keypair()[0]).sign(CALLER)
    with pytest.raises(UnauthorizedError) as error:
        TokenVerifier(generate_keypair()[1]).verify(forged)
    assert error.value.code == "invalid_token"


def test_an_expired_token_is_refused() -> None:
    private, public = generate_keypair()
    token = TokenSigner(private, ttl_seconds=60).sign(CALLER, now=time.time() - 3600)
    with pytest.raises(UnauthorizedError) as error:
        TokenVerifier(public).verify(token)
    assert error.value.code == "expired_token"


@pytest.mark.parametrize("token", ["", "abc", "abc.def", "....", "e30.AAAA"])
def test_garbage_is_refused_without_a_crash(token: str) -> None:
    with pytest.raises(UnauthorizedError):
        TokenVerifier(generate_keypair()[1]).verify(token)


def test_a_tampered_payload_is_refused() -> None:
    private, public = generate_keypair()
    payload, signature = TokenSigner(private).sign(CALLER).split(".")
    other_payload = TokenSigner(private).sign(Caller(account_id="a2", role="admin")).split(".")[0]
    with pytest.raises(UnauthorizedError):
        TokenVerifier(public).verify(f"{other_payload}.{signature}")
    assert payload != other_payload


def test_placeholder_keys_are_refused_outside_the_embedded_default() -> None:
    with pytest.raises(SettingsError, match="INTERNAL_TOKEN_PUBLIC_KEY"):
        TokenVerifier.from_settings(BaseSettings(embedded=False))
    verifier = TokenVerifier.from_settings(BaseSettings(embedded=True))
    assert verifier.verify(TokenSigner(dev_keypair()[0]).sign(CALLER)) == CALLER


def test_a_remembered_token_still_expires() -> None:
    private, public = generate_keypair()
    verifier = TokenVerifier(public, leeway_seconds=0)
    issued = time.time()
    token = TokenSigner(private, ttl_seconds=60).sign(CALLER, now=issued)
    assert verifier.verify(token, now=issued) == CALLER  # verified and remembered
    assert verifier.verify(token, now=issued + 30) == CALLER
    with pytest.raises(UnauthorizedError) as error:
        verifier.verify(token, now=issued + 61)
    assert error.value.code == "expired_token"


def test_only_the_exact_verified_text_is_remembered() -> None:
    private, public = generate_keypair()
    verifier = TokenVerifier(public)
    token = TokenSigner(private).sign(CALLER)
    verifier.verify(token)
    payload, signature = token.split(".")
    forged_payload = TokenSigner(generate_keypair()[0]).sign(Caller(account_id="a2", role="admin")).split(".")[0]
    for attempt in (f"{forged_payload}.{signature}", f"{payload}.{signature[:-2]}AA", token + "x"):
        with pytest.raises(UnauthorizedError):
            verifier.verify(attempt)
    assert verifier.verify(token) == CALLER


def test_the_memory_of_verified_tokens_stays_bounded() -> None:
    private, public = generate_keypair()
    verifier = TokenVerifier(public, cache_size=3)
    signer = TokenSigner(private)
    tokens = [signer.sign(Caller(account_id=f"a{i}", role="unit", unit_id="u1")) for i in range(10)]
    for token in tokens:
        verifier.verify(token)
        assert len(verifier._verified) <= 3
    assert [verifier.verify(token).account_id for token in tokens] == [f"a{i}" for i in range(10)]
