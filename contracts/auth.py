"""Caller: the claims of the short-lived internal identity token (signed by the gateway or a service)."""

from __future__ import annotations

from typing import Literal

import msgspec

Role = Literal["unit", "authority", "admin", "system"]

AuthorityRole = Literal["acceptance", "review", "approval"]
"""What an authority account may do with applications: 受理 (acceptance), 审查 (review), 审批 (approval)."""


class Caller(msgspec.Struct, kw_only=True, frozen=True):
    """Who is asking: an account, its unit (for unit users) or jurisdiction and roles (for authorities).

    ``jurisdiction`` is a GB/T 2260 division code: ``000000`` is 自然资源部 (the whole country),
    ``110000`` a province, ``110100`` a city. A ``system`` caller is the gateway acting for an
    anonymous visitor (account ``gateway``) or a service acting for itself (``service:<name>``).
    """

    account_id: str
    role: Role
    unit_id: str | None = None
    jurisdiction: str | None = None
    username: str | None = None
    session_id: str | None = None
    roles: tuple[AuthorityRole, ...] = ()
    org_name: str | None = None
    """An authority account's 机关名称 (for example 北京市规划和自然资源委员会)."""


class TokenClaims(msgspec.Struct, kw_only=True, frozen=True):
    """The signed payload: the caller, who signed it (``iss``), which services accept it (``aud``),
    and its issue and expiry times (seconds since the epoch)."""

    caller: Caller
    iat: int
    exp: int
    iss: str = "gateway"
    aud: tuple[str, ...] = ()
