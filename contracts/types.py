"""Named constrained aliases, defined once and used by every request Struct."""

from __future__ import annotations

from typing import Annotated

import msgspec

__all__ = ["ClientIp", "CreditCode", "Mobile", "Password", "ShortText", "UnitName", "Username"]

ShortText = Annotated[str, msgspec.Meta(min_length=1, max_length=100)]
"""A required short free text (names, titles)."""

Username = Annotated[str, msgspec.Meta(min_length=3, max_length=32, pattern=r"^[A-Za-z][A-Za-z0-9_.-]*$")]
"""用户名: starts with a letter; letters, digits, ``_ . -``; 3–32 characters."""

Password = Annotated[str, msgspec.Meta(min_length=1, max_length=128)]
"""A password as typed; the policy (length, character classes) is checked by identity."""

UnitName = Annotated[str, msgspec.Meta(min_length=2, max_length=100)]
"""单位名称."""

CreditCode = Annotated[str, msgspec.Meta(min_length=18, max_length=18, pattern=r"^[0-9A-HJ-NPQRTUWXY]{18}$")]
"""统一社会信用代码 (GB 32100-2015): 18 characters; the check character is verified by identity."""

Mobile = Annotated[str, msgspec.Meta(pattern=r"^1[3-9][0-9]{9}$")]
"""手机号码: a mainland China mobile number, 11 digits starting 13–19."""

ClientIp = Annotated[str, msgspec.Meta(max_length=45, pattern=r"^[0-9A-Fa-f:.]*$")]
"""The visitor's IPv4 or IPv6 address as the gateway saw it (empty when unknown)."""
