"""Protection of personal data at rest (个人信息保护法): 证件号码 encrypted, made unique by a keyed hash.

``Protector.seal`` encrypts with AES-256-GCM under ``STAFFING_DATA_KEY`` (a fresh 96-bit nonce
per value, stored as ``nonce || ciphertext+tag``); the associated data binds a ciphertext to its
purpose, so a sealed snapshot cannot be passed off as an ID number. ``Protector.identity`` is the
HMAC-SHA256 of (证件类型, normalised number) under its own ``STAFFING_HASH_KEY``: equal numbers
give equal hashes (the unique constraint), and nobody without the key can test a guessed number.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

__all__ = ["ID_NUMBER", "SNAPSHOT", "Protector", "UnreadableError", "generate_key"]

ID_NUMBER = b"staffing.id_number"
SNAPSHOT = b"staffing.snapshot"
_NONCE = 12


class UnreadableError(ValueError):
    """A sealed value could not be opened: wrong key, another purpose, or altered bytes."""


def generate_key() -> str:
    """32 random bytes in base64: a value for STAFFING_DATA_KEY or STAFFING_HASH_KEY."""
    return base64.b64encode(os.urandom(32)).decode()


def _key(value: str, variable: str) -> bytes:
    try:
        key = base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        key = b""
    if len(key) != 32:
        raise ValueError(f"{variable}: expected 32 random bytes in base64 (44 characters)")
    return key


class Protector:
    """Seals and opens personal data, and computes the keyed identity of a 证件号码."""

    def __init__(self, data_key: str, hash_key: str) -> None:
        self._aead = AESGCM(_key(data_key, "STAFFING_DATA_KEY"))
        self._hash_key = _key(hash_key, "STAFFING_HASH_KEY")
        if self._hash_key == _key(data_key, "STAFFING_DATA_KEY"):
            raise ValueError("STAFFING_HASH_KEY: must differ from STAFFING_DATA_KEY")

    def seal(self, plain: bytes, purpose: bytes = ID_NUMBER) -> bytes:
        nonce = os.urandom(_NONCE)
        return nonce + self._aead.encrypt(nonce, plain, purpose)

    def open(self, sealed: bytes, purpose: bytes = ID_NUMBER) -> bytes:
        try:
            return self._aead.decrypt(sealed[:_NONCE], sealed[_NONCE:], purpose)
        except (InvalidTag, ValueError) as exc:
            raise UnreadableError("sealed value cannot be opened with this key") from exc

    def seal_text(self, text: str) -> bytes:
        return self.seal(text.encode())

    def open_text(self, sealed: bytes) -> str:
        return self.open(sealed).decode()

    def identity(self, id_type: str, number: str) -> bytes:
        """The keyed hash of a normalised 证件号码 of ``id_type`` (32 bytes)."""
        message = f"{id_type}\x1f{number}".encode()
        return hmac.new(self._hash_key, message, hashlib.sha256).digest()
