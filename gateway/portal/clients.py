"""Typed calls from the portal to the services: contracts Structs in and out, over ``upstreams``.

A refusal from a service (its ErrorBody) comes back as a ``DomainError`` with the service's
status, code, message and details, so a page shows the service's own words.
"""

from __future__ import annotations

from typing import Any, TypeVar

import msgspec

from contracts.errors import ErrorBody
from contracts.identity.api import Account, LoginResult, PasswordLogin, RegisterRequest
from gateway.sessions import Session
from gateway.tokens import TokenMinter
from gateway.upstreams import UNAVAILABLE_MESSAGE, Upstreams
from services.kernel import DomainError, UpstreamError

__all__ = ["IdentityClient", "ServiceClient"]

T = TypeVar("T")
_encoder = msgspec.json.Encoder()
_error_decoder = msgspec.json.Decoder(ErrorBody)
_decoders: dict[Any, msgspec.json.Decoder[Any]] = {}


def _decode(data: bytes, kind: type[T]) -> T:
    decoder = _decoders.get(kind)
    if decoder is None:
        decoder = _decoders[kind] = msgspec.json.Decoder(kind)
    result: T = decoder.decode(data)
    return result


def _refusal(service: str, status: int, data: bytes) -> DomainError:
    try:
        body = _error_decoder.decode(data)
    except msgspec.DecodeError:
        return UpstreamError(UNAVAILABLE_MESSAGE, details={"service": service})
    return DomainError(body.message, code=body.code, status_code=status, details=body.details)


class ServiceClient:
    """One service's typed exchange: encode the request Struct, decode the answer or the refusal."""

    def __init__(self, service: str, upstreams: Upstreams, tokens: TokenMinter) -> None:
        self.service = service
        self._upstreams = upstreams
        self._tokens = tokens

    def token_for(self, session: Session | None) -> str:
        """The session's token, or the gateway's own (``system``) for an anonymous visitor."""
        if session is None:
            return self._tokens.for_system()
        return self._tokens.for_caller(session.key, session.caller)

    async def exchange(
        self, method: str, path: str, result: type[T], *, session: Session | None, body: Any = None
    ) -> T:
        status, data = await self._upstreams.call(
            self.service,
            method,
            path,
            token=self.token_for(session),
            json=None if body is None else _encoder.encode(body),
        )
        if status >= 400:
            raise _refusal(self.service, status, data)
        try:
            return _decode(data, result)
        except msgspec.DecodeError:
            raise UpstreamError(UNAVAILABLE_MESSAGE, details={"service": self.service}) from None


class IdentityClient(ServiceClient):
    """identity: 注册 and 账户登录 for the anonymous visitor (contracts.identity.api)."""

    def __init__(self, upstreams: Upstreams, tokens: TokenMinter) -> None:
        super().__init__("identity", upstreams, tokens)

    async def register(self, request: RegisterRequest) -> Account:
        return await self.exchange("POST", "/accounts", Account, session=None, body=request)

    async def login_with_password(self, request: PasswordLogin) -> LoginResult:
        return await self.exchange("POST", "/logins/password", LoginResult, session=None, body=request)
