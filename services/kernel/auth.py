"""The internal identity token: the gateway signs it (Ed25519), every service verifies it.

Format: ``base64url(claims JSON) "." base64url(signature)``. A service never trusts a
client-supplied identity header; only a token signed with the platform's key and unexpired.
"""

from __future__ import annotations

import base64
import hashlib
import logging
import time
from typing import Any

import msgspec
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from litestar.connection import ASGIConnection
from litestar.handlers.base import BaseRouteHandler

from contracts.auth import Caller, TokenClaims

from .errors import ForbiddenError, UnauthorizedError
from .settings import BaseSettings, SettingsError

__all__ = [
    "TOKEN_HEADER",
    "TokenSigner",
    "TokenVerifier",
    "authority_scope",
    "dev_keypair",
    "generate_keypair",
    "unit_scope",
]

logger = logging.getLogger(__name__)
TOKEN_HEADER = "x-internal-token"
_DEV_SEED = hashlib.sha256(b"qual-embedded-development-only").digest()
_claims_decoder = msgspec.json.Decoder(TokenClaims)
_encoder = msgspec.json.Encoder()


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def generate_keypair() -> tuple[str, str]:
    """A fresh (private, public) pair, each the base64url of the raw 32-byte key."""
    key = Ed25519PrivateKey.generate()
    return _b64(key.private_bytes_raw()), _b64(key.public_key().public_bytes_raw())


def dev_keypair() -> tuple[str, str]:
    """The well-known key of the embedded default; refused when ``EMBEDDED`` is false."""
    key = Ed25519PrivateKey.from_private_bytes(_DEV_SEED)
    return _b64(_DEV_SEED), _b64(key.public_key().public_bytes_raw())


def _key_text(settings: BaseSettings, field: str, dev_index: int) -> str:
    value = str(getattr(settings, field))
    if value:
        return value
    if not settings.embedded:
        raise SettingsError(f"{field.upper()}: required when EMBEDDED is false")
    return dev_keypair()[dev_index]


class TokenSigner:
    """Mints short-lived tokens for a Caller (the gateway holds the private key)."""

    def __init__(self, private_key: str, *, ttl_seconds: int = 300) -> None:
        self._key = Ed25519PrivateKey.from_private_bytes(_unb64(private_key))
        self._ttl = ttl_seconds

    @classmethod
    def from_settings(cls, settings: BaseSettings, *, ttl_seconds: int = 300) -> TokenSigner:
        return cls(_key_text(settings, "internal_token_private_key", 0), ttl_seconds=ttl_seconds)

    def sign(self, caller: Caller, *, now: float | None = None) -> str:
        issued = int(time.time() if now is None else now)
        payload = _encoder.encode(TokenClaims(caller=caller, iat=issued, exp=issued + self._ttl))
        return f"{_b64(payload)}.{_b64(self._key.sign(payload))}"


class TokenVerifier:
    """Checks signature and expiry; returns the Caller or raises UnauthorizedError.

    An Ed25519 verification costs ~0.2 ms of CPU, more than the rest of a small request, and the
    gateway reuses a caller's token for a while; so a token whose signature verified is
    remembered (the exact token text → its claims, at most ``cache_size`` entries) and only its
    expiry is checked again. A token that failed is never remembered.
    """

    def __init__(self, public_key: str, *, leeway_seconds: int = 5, cache_size: int = 10_000) -> None:
        self._key = Ed25519PublicKey.from_public_bytes(_unb64(public_key))
        self._leeway = leeway_seconds
        self._cache_size = cache_size
        self._verified: dict[str, TokenClaims] = {}

    @classmethod
    def from_settings(cls, settings: BaseSettings) -> TokenVerifier:
        return cls(_key_text(settings, "internal_token_public_key", 1))

    def verify(self, token: str, *, now: float | None = None) -> Caller:
        claims = self._verified.get(token) or self._check_signature(token)
        if claims.exp + self._leeway < (time.time() if now is None else now):
            self._verified.pop(token, None)
            raise UnauthorizedError("身份令牌已过期，请重新登录", code="expired_token")
        return claims.caller

    def _check_signature(self, token: str) -> TokenClaims:
        try:
            payload_text, _, signature_text = token.partition(".")
            payload = _unb64(payload_text)
            self._key.verify(_unb64(signature_text), payload)
            claims = _claims_decoder.decode(payload)
        except (ValueError, InvalidSignature, msgspec.DecodeError):
            raise UnauthorizedError("身份令牌无效，请重新登录", code="invalid_token") from None
        if len(self._verified) >= self._cache_size:
            self._verified.clear()  # tokens live minutes: starting over costs one verification each
        self._verified[token] = claims
        return claims


def caller_of(connection: ASGIConnection[Any, Any, Any, Any]) -> Caller:
    caller = connection.scope.get("state", {}).get("caller")
    if not isinstance(caller, Caller):
        raise UnauthorizedError("请先登录")
    return caller


def unit_scope(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
    """Guard: only unit users (a caller bound to a unit) pass."""
    caller = caller_of(connection)
    if caller.role != "unit" or not caller.unit_id:
        raise ForbiddenError("仅限单位用户办理")


def authority_scope(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
    """Guard: only authority staff (with a jurisdiction) or platform administrators pass."""
    caller = caller_of(connection)
    if caller.role not in ("authority", "admin"):
        raise ForbiddenError("仅限主管部门办理")
