"""Protector: 证件号码 sealed with AES-GCM (bound to its purpose) and made unique by a keyed hash."""

from __future__ import annotations

import pytest

from services.staffing.protection import ID_NUMBER, SNAPSHOT, Protector, UnreadableError, generate_key

NUMBER = "11010519491231002X"


@pytest.fixture
def protector() -> Protector:
    return Protector(generate_key(), generate_key())


def test_a_sealed_number_opens_to_itself_and_never_shows_it(protector: Protector) -> None:
    sealed = protector.seal_text(NUMBER)

    assert NUMBER.encode() not in sealed
    assert protector.open_text(sealed) == NUMBER
    assert protector.seal_text(NUMBER) != sealed  # a fresh nonce each time


def test_another_key_or_another_purpose_or_an_altered_byte_cannot_open_it(protector: Protector) -> None:
    sealed = protector.seal(NUMBER.encode(), ID_NUMBER)

    with pytest.raises(UnreadableError):
        Protector(generate_key(), generate_key()).open(sealed, ID_NUMBER)
    with pytest.raises(UnreadableError):
        protector.open(sealed, SNAPSHOT)
    with pytest.raises(UnreadableError):
        protector.open(sealed[:-1] + bytes([sealed[-1] ^ 1]), ID_NUMBER)
    with pytest.raises(UnreadableError):
        protector.open(b"short", ID_NUMBER)


def test_the_keyed_hash_is_stable_per_type_and_key(protector: Protector) -> None:
    same = protector.identity("居民身份证", NUMBER)

    assert same == protector.identity("居民身份证", NUMBER)
    assert len(same) == 32
    assert same != protector.identity("护照", NUMBER)
    assert same != Protector(generate_key(), generate_key()).identity("居民身份证", NUMBER)


@pytest.mark.parametrize("bad", ["", "not base64!", "c2hvcnQ=", generate_key()[:-4]])
def test_a_key_that_is_not_32_bytes_of_base64_is_refused_naming_the_variable(bad: str) -> None:
    with pytest.raises(ValueError, match="STAFFING_DATA_KEY"):
        Protector(bad, generate_key())
    with pytest.raises(ValueError, match="STAFFING_HASH_KEY"):
        Protector(generate_key(), bad)


def test_the_two_keys_must_differ() -> None:
    key = generate_key()
    with pytest.raises(ValueError, match="must differ"):
        Protector(key, key)
