"""CSRF protection for every state-changing portal form and ``/api`` call.

* Signed-in visitors: a synchronizer token bound to the session,
  ``HMAC(secret, "session|" + session key)``; it changes when the session rotates at login.
* Anonymous visitors (the 登录 and 注册 forms): a signed double-submit token: a random nonce
  in an HttpOnly cookie and ``HMAC(secret, "anon|" + nonce)`` in the form, so a page on another
  site can neither read nor forge it.

Forms carry the token in the hidden field ``_csrf``, portal scripts in the ``X-CSRF-Token``
header. GET, HEAD and OPTIONS are exempt. A missing or wrong token is a 403 ``csrf_failed``.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets

from services.kernel import ForbiddenError, SettingsError
from services.kernel.auth import dev_keypair

from .settings import GatewaySettings

__all__ = [
    "CSRF_MESSAGE",
    "FORM_FIELD",
    "HEADER",
    "NONCE_COOKIE",
    "SAFE_METHODS",
    "CsrfError",
    "CsrfGuard",
]

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
FORM_FIELD = "_csrf"
HEADER = "x-csrf-token"
NONCE_COOKIE = "qual_csrf"
CSRF_MESSAGE = "页面已过期或请求来源无效，请刷新页面后重试"
_NONCE = re.compile(r"^[A-Za-z0-9_-]{22}$")  # token_urlsafe(16)


class CsrfError(ForbiddenError):
    """The request did not carry the token of this visitor's page."""

    code = "csrf_failed"

    def __init__(self) -> None:
        super().__init__(CSRF_MESSAGE)


class CsrfGuard:
    """Issues and checks tokens with one HMAC key shared by every gateway worker and replica."""

    def __init__(self, secret: bytes) -> None:
        self._secret = secret

    @classmethod
    def from_settings(cls, settings: GatewaySettings) -> CsrfGuard:
        text = settings.csrf_secret or settings.internal_token_private_key
        if not text:
            if not settings.embedded:
                raise SettingsError("CSRF_SECRET: required when EMBEDDED is false")
            text = dev_keypair()[0]
        return cls(hashlib.sha256(b"qual-gateway-csrf|" + text.encode()).digest())

    @staticmethod
    def new_nonce() -> str:
        return secrets.token_urlsafe(16)

    @staticmethod
    def is_nonce(value: str | None) -> bool:
        return bool(value and _NONCE.match(value))

    def token_for(self, *, session_key: str | None, nonce: str | None) -> str:
        """The token a page embeds: session-bound when signed in, else bound to the nonce cookie."""
        if session_key:
            return self._mac("session", session_key)
        if nonce and _NONCE.match(nonce):
            return self._mac("anon", nonce)
        raise ValueError("an anonymous page needs a nonce cookie first")

    def check(self, token: str | None, *, session_key: str | None, nonce: str | None) -> None:
        """Raise CsrfError unless ``token`` is this visitor's (session's, else nonce's) token."""
        if not token:
            raise CsrfError()
        if session_key:
            expected = self._mac("session", session_key)
        elif nonce and _NONCE.match(nonce):
            expected = self._mac("anon", nonce)
        else:
            raise CsrfError()
        if not hmac.compare_digest(token.encode(), expected.encode()):
            raise CsrfError()

    def _mac(self, kind: str, value: str) -> str:
        return hmac.new(self._secret, f"{kind}|{value}".encode(), hashlib.sha256).hexdigest()
