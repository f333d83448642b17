"""Caller: the claims of the short-lived internal identity token the gateway signs."""

from __future__ import annotations

from typing import Literal

import msgspec

Role = Literal["unit", "authority", "admin", "system"]


class Caller(msgspec.Struct, kw_only=True, frozen=True):
    """Who is asking: an account, its unit (for unit users) or jurisdiction (for authorities)."""

    account_id: str
    role: Role
    unit_id: str | None = None
    jurisdiction: str | None = None
    username: str | None = None
    session_id: str | None = None


class TokenClaims(msgspec.Struct, kw_only=True, frozen=True):
    """The signed payload: the caller plus issue and expiry times (seconds since the epoch)."""

    caller: Caller
    iat: int
    exp: int
    aud: str = "qual-internal"
