"""The certificate's pure rules: its 证书编号, 等级, validity, status and expiry warning.

证书编号 (standards.md §2.4): ``等级 + 测资字 + 省级编号 + 顺序号``, graded A for the 2014 regime;
the later "校验位" is graded C with no algorithm, so no check digit is added. The sequence has six
digits (the public numbers seen have five or six; six leaves room). 导航电子地图制作甲级资质证书 is
a 甲级 certificate issued by 自然资源部: it takes ``甲测资字`` and the province of the approving
jurisdiction, which for 自然资源部 (``000000``) is ``00``.

Validity (§2.4, grade A: 五年): from the issue date to the day before its fifth anniversary, so a
certificate issued 2024-03-01 is valid until 2029-02-28; issued on 29 February, the anniversary is
1 March.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Literal

from contracts.registry.api import VerificationOutcome

__all__ = [
    "LEVEL_OF_TYPE",
    "NUMBER_PATTERN",
    "VALIDITY_YEARS",
    "Status",
    "Verdict",
    "chinese_date",
    "expiring_soon",
    "format_number",
    "is_certificate_number",
    "level_of",
    "number_prefix",
    "province_of",
    "valid_until",
    "verdict_of",
]

Status = Literal["有效", "已注销", "已过期", "已换证"]
VALIDITY_YEARS = 5
LEVEL_OF_TYPE = {"甲级资质证书": "甲级", "乙级资质证书": "乙级", "导航电子地图制作甲级资质证书": "甲级"}
NUMBER_PATTERN = re.compile(r"^[甲乙丙丁]测资字[0-9]{6,9}$")
"""A number this register may hold: the 2021 form (2 + 6 digits) and the old ones (7–9 digits)."""
_SEQUENCE_DIGITS = 6


def level_of(certificate_type: str) -> str:
    """资质等级 of a 2021 certificate type; ValueError for any other type."""
    try:
        return LEVEL_OF_TYPE[certificate_type]
    except KeyError:
        raise ValueError(f"not a certificate type: {certificate_type!r}") from None


def number_prefix(certificate_type: str) -> str:
    """``甲测资字`` or ``乙测资字``."""
    return f"{level_of(certificate_type)[0]}测资字"


def province_of(jurisdiction: str) -> str:
    """The two-digit province of the approving jurisdiction (``000000`` → ``00``)."""
    if not re.fullmatch(r"[0-9]{6}", jurisdiction):
        raise ValueError(f"not a division code: {jurisdiction!r}")
    return jurisdiction[:2]


def format_number(prefix: str, province: str, sequence: int) -> str:
    """``甲测资字`` + ``11`` + ``000042``."""
    if not 1 <= sequence < 10**_SEQUENCE_DIGITS:
        raise ValueError(f"sequence out of range: {sequence}")
    return f"{prefix}{province}{sequence:0{_SEQUENCE_DIGITS}d}"


def is_certificate_number(text: str) -> bool:
    return NUMBER_PATTERN.fullmatch(text) is not None


def valid_until(issued_on: dt.date) -> dt.date:
    """The last day of validity: the day before the fifth anniversary of ``issued_on``."""
    try:
        anniversary = issued_on.replace(year=issued_on.year + VALIDITY_YEARS)
    except ValueError:  # 29 February into a common year
        anniversary = dt.date(issued_on.year + VALIDITY_YEARS, 3, 1)
    return anniversary - dt.timedelta(days=1)


def expiring_soon(status: str, until: dt.date, *, today: dt.date, lead_days: int) -> bool:
    """A valid certificate whose validity ends within ``lead_days`` (the 延续 warning)."""
    return status == "有效" and today <= until <= today + dt.timedelta(days=lead_days)


@dataclass(frozen=True, slots=True)
class Verdict:
    """``outcome`` and the headline a reader sees first; only 有效 is an acceptance."""

    outcome: VerificationOutcome
    headline: str


def verdict_of(
    *,
    signature_valid: bool,
    version: int | None,
    register: dict[str, object] | None,
    today: dt.date,
) -> Verdict:
    """What an upload is worth: a file whose signature fails proves nothing (whatever number it
    names); a genuine one is still refused when its certificate is 已注销, 已换证 or past its
    有效期 (even before the expiry job has marked it), or when it is not the current version.

    ``register``: the number's row (``status``, ``current_version``, ``valid_until``,
    ``cancelled_on``, ``replaced_by``), None when the register has no such number.
    """
    if not signature_valid:
        return Verdict("签名无效", "该电子证书的电子签名无效，不能作为有效证书使用")
    if register is None:
        return Verdict("未登记", "该电子证书签名有效，但登记中未查询到该证书，不能作为有效证书使用")
    status, until = register["status"], register["valid_until"]
    if status == "已注销":
        when = register.get("cancelled_on")
        on = f"已于{chinese_date(when)}注销" if isinstance(when, dt.date) else "已注销"
        return Verdict("已注销", f"该证书{on}，该电子证书不再有效")
    if status == "已换证":
        successor = register.get("replaced_by")
        by = f"（新证书编号 {successor}）" if successor else ""
        return Verdict("已换证", f"该证书已换发新证{by}，该电子证书不再有效")
    if status == "已过期" or (isinstance(until, dt.date) and until < today):
        return Verdict("已过期", f"该证书有效期至{chinese_date(until)}，已过期，该电子证书不再有效")
    current = register["current_version"]
    if version != current:
        return Verdict(
            "非现行版本",
            f"该电子证书签名有效，但不是登记的现行版本（文件为第 {version} 版，现行为第 {current} 版），"
            "不能作为有效证书使用，以登记信息为准",
        )
    return Verdict("有效", "该电子证书签名有效，与登记的现行版本一致")


def chinese_date(value: object) -> str:
    """2026-03-09 → 2026年3月9日 (as printed on the 电子证书)."""
    year, month, day = str(value).split("-")
    return f"{year}年{int(month)}月{int(day)}日"
