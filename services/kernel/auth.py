"""The internal identity token and the guards that read it.

Format: ``base64url(claims JSON) "." base64url(Ed25519 signature)``. Two kinds of issuer sign:

* the **gateway** (``iss = "gateway"``) signs for the portal's visitors: any role;
* a **service** (``iss = "<name>"``) signs only for itself: role ``system``, account
  ``service:<name>``; its key cannot speak for a user, so a compromised service cannot mint
  identities for others.

Every token names its audience (``aud``): the service it was minted for and the services that
one calls on the caller's behalf (``registry.audience_for``). A service refuses a token minted for
another. Tokens are short-lived (seconds): revoking a session reaches every service within the
lifetime, without any message to deliver (README, design notes).
"""

from __future__ import annotations

import base64
import hashlib
import logging
import time
from collections.abc import Awaitable, Callable, Iterable, Mapping
from typing import Any

import msgspec
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from litestar.connection import ASGIConnection
from litestar.handlers.base import BaseRouteHandler

from contracts.auth import AuthorityRole, Caller, TokenClaims

from .errors import ForbiddenError, UnauthorizedError
from .jurisdiction import is_division_code
from .registry import PROCESSES
from .settings import BaseSettings, SettingsError

__all__ = [
    "GATEWAY_ISSUER",
    "TOKEN_HEADER",
    "Guard",
    "TokenSigner",
    "TokenVerifier",
    "authority_scope",
    "caller_of",
    "dev_keypair",
    "generate_keypair",
    "is_service",
    "service_caller",
    "service_only",
    "signed_in",
    "system_only",
    "unit_scope",
]

logger = logging.getLogger(__name__)
TOKEN_HEADER = "x-internal-token"
GATEWAY_ISSUER = "gateway"
_claims_decoder = msgspec.json.Decoder(TokenClaims)
_encoder = msgspec.json.Encoder()

Guard = Callable[[ASGIConnection[Any, Any, Any, Any], BaseRouteHandler], Awaitable[None]]
"""A route guard: a coroutine (Litestar runs a plain-function guard in a worker thread)."""


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def generate_keypair() -> tuple[str, str]:
    """A fresh (private, public) pair, each the base64url of the raw 32-byte key."""
    key = Ed25519PrivateKey.generate()
    return _b64(key.private_bytes_raw()), _b64(key.public_key().public_bytes_raw())


def dev_keypair(issuer: str = GATEWAY_ISSUER) -> tuple[str, str]:
    """The well-known key of ``issuer`` in the embedded default; refused when ``EMBEDDED`` is false."""
    seed = hashlib.sha256(f"qual-embedded-development-only:{issuer}".encode()).digest()
    key = Ed25519PrivateKey.from_private_bytes(seed)
    return _b64(seed), _b64(key.public_key().public_bytes_raw())


SERVICE_ACCOUNT_PREFIX = "service:"


def service_caller(name: str) -> Caller:
    """Who a service is when it calls another for itself (a freeze, a snapshot, an evaluation)."""
    return Caller(account_id=f"{SERVICE_ACCOUNT_PREFIX}{name}", role="system")


def is_service(caller: Caller) -> bool:
    """A service acting for itself (not the gateway acting for an anonymous visitor)."""
    return caller.role == "system" and caller.account_id.startswith(SERVICE_ACCOUNT_PREFIX)


def _required(settings: BaseSettings, variable: str) -> None:
    if not settings.embedded:
        raise SettingsError(f"{variable}: required when EMBEDDED is false")


def parse_key_list(text: str) -> dict[str, str]:
    """``SERVICE_TOKEN_PUBLIC_KEYS``: ``name=key,name=key`` → ``{name: key}``."""
    keys: dict[str, str] = {}
    for item in filter(None, (part.strip() for part in text.split(","))):
        name, sep, key = item.partition("=")
        if not sep or not name or not key:
            raise SettingsError(f"SERVICE_TOKEN_PUBLIC_KEYS: expected name=key pairs, got {item!r}")
        keys[name.strip()] = key.strip()
    return keys


class TokenSigner:
    """Mints short-lived tokens: the gateway for its visitors, a service for itself."""

    def __init__(self, private_key: str, *, issuer: str = GATEWAY_ISSUER, ttl_seconds: int = 300) -> None:
        self._key = Ed25519PrivateKey.from_private_bytes(_unb64(private_key))
        self.issuer = issuer
        self._ttl = ttl_seconds

    @classmethod
    def from_settings(cls, settings: BaseSettings, *, ttl_seconds: int | None = None) -> TokenSigner:
        """This process's key (``INTERNAL_TOKEN_PRIVATE_KEY``), issuer = its name."""
        issuer = settings.service_name
        key = settings.internal_token_private_key
        if not key:
            _required(settings, "INTERNAL_TOKEN_PRIVATE_KEY")
            key = dev_keypair(issuer)[0]
        ttl = settings.token_ttl_seconds if ttl_seconds is None else ttl_seconds
        return cls(key, issuer=issuer, ttl_seconds=ttl)

    def sign(self, caller: Caller, *, audience: Iterable[str] = (), now: float | None = None) -> str:
        """A token for ``caller`` accepted by the services in ``audience`` (none: accepted by none)."""
        issued = int(time.time() if now is None else now)
        claims = TokenClaims(caller=caller, iat=issued, exp=issued + self._ttl, iss=self.issuer, aud=tuple(audience))
        payload = _encoder.encode(claims)
        return f"{_b64(payload)}.{_b64(self._key.sign(payload))}"


class TokenVerifier:
    """Checks signature, issuer, audience and expiry; returns the Caller or raises UnauthorizedError.

    An Ed25519 verification costs ~0.2 ms of CPU, more than the rest of a small request, and the
    gateway reuses a caller's token for a moment; so a token whose signature verified is
    remembered (the exact token text → its claims, at most ``cache_size`` entries) and only its
    expiry is checked again. A token that failed is never remembered.
    """

    def __init__(
        self,
        public_key: str,
        *,
        audience: str | None = None,
        service_keys: Mapping[str, str] | None = None,
        leeway_seconds: int = 1,
        cache_size: int = 10_000,
    ) -> None:
        self._keys = {GATEWAY_ISSUER: Ed25519PublicKey.from_public_bytes(_unb64(public_key))}
        for issuer, key in (service_keys or {}).items():
            if issuer != GATEWAY_ISSUER:
                self._keys[issuer] = Ed25519PublicKey.from_public_bytes(_unb64(key))
        self.audience = audience
        self._leeway = leeway_seconds
        self._cache_size = cache_size
        self._verified: dict[str, TokenClaims] = {}

    @classmethod
    def from_settings(cls, settings: BaseSettings) -> TokenVerifier:
        """The gateway's public key, the services' keys, audience = this service's name."""
        public = settings.internal_token_public_key
        if not public:
            _required(settings, "INTERNAL_TOKEN_PUBLIC_KEY")
            public = dev_keypair(GATEWAY_ISSUER)[1]
        services = parse_key_list(settings.service_token_public_keys)
        if not services and settings.embedded:
            services = {process.name: dev_keypair(process.name)[1] for process in PROCESSES}
        return cls(
            public,
            audience=settings.service_name,
            service_keys=services,
            leeway_seconds=settings.token_leeway_seconds,
        )

    def verify(self, token: str, *, now: float | None = None) -> Caller:
        claims = self._verified.get(token) or self._check_signature(token)
        if claims.exp + self._leeway <= (time.time() if now is None else now):
            self._verified.pop(token, None)
            raise UnauthorizedError("身份令牌已过期，请重新登录", code="expired_token")
        return claims.caller

    def _check_signature(self, token: str) -> TokenClaims:
        try:
            payload_text, _, signature_text = token.partition(".")
            payload = _unb64(payload_text)
            claims = _claims_decoder.decode(payload)
            key = self._keys.get(claims.iss)
            if key is None:
                raise ValueError("unknown issuer")
            key.verify(_unb64(signature_text), payload)
        except (ValueError, InvalidSignature, msgspec.DecodeError):
            raise UnauthorizedError("身份令牌无效，请重新登录", code="invalid_token") from None
        self._check_claims(claims)
        if len(self._verified) >= self._cache_size:
            self._verified.clear()  # tokens live seconds: starting over costs one verification each
        self._verified[token] = claims
        return claims

    def _check_claims(self, claims: TokenClaims) -> None:
        if claims.iss != GATEWAY_ISSUER and claims.caller != service_caller(claims.iss):
            logger.warning("service %s signed a token for someone else: refused", claims.iss)
            raise UnauthorizedError("身份令牌无效，请重新登录", code="invalid_token")
        if self.audience is not None and self.audience not in claims.aud:
            raise UnauthorizedError("身份令牌不适用于本服务", code="wrong_audience")


def caller_of(connection: ASGIConnection[Any, Any, Any, Any]) -> Caller:
    caller = connection.scope.get("state", {}).get("caller")
    if not isinstance(caller, Caller):
        raise UnauthorizedError("请先登录")
    return caller


async def unit_scope(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
    """Guard: only unit users (a caller bound to a unit) pass."""
    caller = caller_of(connection)
    if caller.role != "unit" or not caller.unit_id:
        raise ForbiddenError("仅限单位用户办理", code="unit_only")


async def system_only(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
    """Guard: only the platform itself passes (the gateway for an anonymous visitor, or a service)."""
    if caller_of(connection).role != "system":
        raise ForbiddenError("已登录用户不能进行此操作", code="system_only")


async def service_only(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
    """Guard: only another service acting for itself passes (a freeze, a snapshot)."""
    if not is_service(caller_of(connection)):
        raise ForbiddenError("仅限系统服务调用", code="service_only")


async def signed_in(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
    """Guard: only a signed-in account (unit, authority, admin) passes; the platform itself does not."""
    if caller_of(connection).role == "system":
        raise ForbiddenError("请先登录", code="signed_in_only")


def authority_scope(*roles: AuthorityRole) -> Guard:
    """Guard (a coroutine, like every guard here: Litestar runs a plain-function guard in a worker
    thread, a hop on every request): authority staff (or the administrator) with a valid jurisdiction, holding one of
    ``roles`` when any are named (``authority_scope("approval")`` for 审批)."""
    wanted = frozenset(roles)

    async def guard(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
        caller = caller_of(connection)
        if caller.role not in ("authority", "admin") or not is_division_code(caller.jurisdiction):
            raise ForbiddenError("仅限主管部门办理", code="authority_only")
        if wanted and wanted.isdisjoint(caller.roles):
            raise ForbiddenError("您的账户没有进行此操作的权限", code="role_required")

    guard.__name__ = f"authority_scope({', '.join(roles)})" if roles else "authority_scope"
    return guard
