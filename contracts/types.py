"""Named constrained aliases, defined once and used by every request Struct."""

from __future__ import annotations

from typing import Annotated, Literal

import msgspec

__all__ = [
    "ApplicationType",
    "CertificateType",
    "ClientIp",
    "CreditCode",
    "DivisionCode",
    "Mobile",
    "Password",
    "ShortText",
    "UnitName",
    "Username",
]

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

CertificateType = Literal["甲级资质证书", "乙级资质证书", "导航电子地图制作甲级资质证书"]
"""证书类型 of the 2021 regime (manual 4.2): what a piece of work is for and what the registry issues."""

ApplicationType = Literal[
    "新单位注册", "资质申请", "补充和修改数据", "基本信息变更", "专业范围变更", "补领证书", "资质注销", "复审换证"
]
"""工作类型 (manual 4.2.1–4.2.7, 4.3)."""

DivisionCode = Annotated[str, msgspec.Meta(pattern=r"^[0-9]{6}$")]
"""A GB/T 2260 division code: ``000000`` is 自然资源部 (the whole country), ``110000`` a province."""
