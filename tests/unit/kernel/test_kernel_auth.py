"""The internal identity token: signed by the gateway's key, verified by services."""

from __future__ import annotations

import base64
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from contracts.auth import Caller
from services.kernel import BaseSettings, SettingsError, TokenSigner, TokenVerifier, UnauthorizedError, generate_keypair
from services.kernel.auth import dev_keypair

CALLER = Caller(account_id="a1", role="unit", unit_id="u1")
ED25519_SIGNATURE_BITS = 64 * 8


def with_a_flipped_signature_bit(token: str, bit: int) -> str:
    """The same token with one bit of its decoded signature flipped (always a different signature)."""
    payload, signature_text = token.split(".")
    signature = bytearray(base64.urlsafe_b64decode(signature_text + "=" * (-len(signature_text) % 4)))
    signature[bit // 8] ^= 1 << (bit % 8)
    return f"{payload}.{base64.urlsafe_b64encode(bytes(signature)).rstrip(b'=').decode()}"


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


@settings(max_examples=300, deadline=None)
@given(bit=st.integers(0, ED25519_SIGNATURE_BITS - 1), account=st.text(min_size=1, max_size=20))
def test_a_tampered_signature_is_refused(bit: int, account: str) -> None:
    private, public = generate_keypair()
    token = TokenSigner(private).sign(Caller(account_id=account, role="unit", unit_id="u1"), audience=["identity"])
    tampered = with_a_flipped_signature_bit(token, bit)
    assert tampered != token
    with pytest.raises(UnauthorizedError) as error:
        TokenVerifier(public).verify(tampered)
    assert error.value.code == "invalid_token"


def test_placeholder_keys_are_refused_outside_the_embedded_default() -> None:
    with pytest.raises(SettingsError, match="INTERNAL_TOKEN_PUBLIC_KEY"):
        TokenVerifier.from_settings(BaseSettings(embedded=False))
    verifier = TokenVerifier.from_settings(BaseSettings(embedded=True))
    assert verifier.verify(TokenSigner(dev_keypair()[0]).sign(CALLER, audience=["service"])) == CALLER


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
    signature = token.split(".")[1]
    forged_payload = TokenSigner(generate_keypair()[0]).sign(Caller(account_id="a2", role="admin")).split(".")[0]
    tampered_signatures = [with_a_flipped_signature_bit(token, bit) for bit in (0, 255, ED25519_SIGNATURE_BITS - 1)]
    for attempt in (f"{forged_payload}.{signature}", *tampered_signatures, token + "x"):
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
