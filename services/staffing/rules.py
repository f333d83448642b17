"""Pure checks of staffing: 证件号码 of each 证件类型, equipment serial normalisation, masking.

No I/O and no clock: every date-dependent check takes the evaluation date as an argument.
User-facing wording lives in errors.py; here a refusal is an ``IdProblem`` member.
"""

from __future__ import annotations

import datetime as dt
import enum
import operator
import re
import unicodedata
from dataclasses import dataclass

__all__ = [
    "MIN_AGE",
    "PROVINCE_CODES",
    "DocumentType",
    "IdNumber",
    "IdProblem",
    "Sex",
    "age_on",
    "id_check_char",
    "mask_id_number",
    "normalise_id_number",
    "normalise_serial",
    "read_id_number",
]

MIN_AGE = 16
"""A technical person is at least this old on the evaluation date."""

PROVINCE_CODES = frozenset(
    [
        *range(11, 16),  # 北京 天津 河北 山西 内蒙古
        *range(21, 24),  # 辽宁 吉林 黑龙江
        *range(31, 38),  # 上海 江苏 浙江 安徽 福建 江西 山东
        *range(41, 47),  # 河南 湖北 湖南 广东 广西 海南
        *range(50, 55),  # 重庆 四川 贵州 云南 西藏
        *range(61, 66),  # 陕西 甘肃 青海 宁夏 新疆
        71,  # 台湾
        81,  # 香港
        82,  # 澳门
    ]
)
"""Province-level codes of GB/T 2260 (first two digits). The full 6-digit area code is not
checked: numbers issued long ago keep codes that no longer exist."""

_HMT_PREFIXES = frozenset([81, 82, 83])
"""港澳台居民居住证: 81 Hong Kong, 82 Macao, 83 Taiwan."""

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
"""ISO 7064 MOD 11-2 weights 2^(18-i) mod 11 for positions 1–17."""

_CHECK_CHARS = "10X98765432"
"""Σ mod 11 → check character."""

_EIGHTEEN = re.compile(r"[0-9]{17}[0-9X]")
_OLD_FOREIGN = re.compile(r"[A-Z]{3}[0-9]{12}")
_PASSPORT = re.compile(r"[A-Z0-9]{5,20}")


class DocumentType(enum.Enum):
    """证件类型 of a technical person; the value is the label the user sees."""

    RESIDENT_ID = "居民身份证"
    HMT_RESIDENCE_PERMIT = "港澳台居民居住证"
    FOREIGN_PERMANENT_RESIDENCE = "外国人永久居留身份证"
    PASSPORT = "护照"


class Sex(enum.Enum):
    MALE = "男"
    FEMALE = "女"


class IdProblem(enum.Enum):
    """Why a 证件号码 is refused; errors.py words each for the user."""

    EMPTY = "empty"
    FIFTEEN_DIGITS = "fifteen_digits"  # an old 15-digit 居民身份证 number
    FORMAT = "format"  # wrong length or characters for the document type
    REGION = "region"  # province prefix not in GB/T 2260 (or not 81/82/83 for a 居住证)
    BIRTH_DATE = "birth_date"  # not a real calendar date
    FUTURE_BIRTH_DATE = "future_birth_date"
    CHECK_CHAR = "check_char"
    UNDER_AGE = "under_age"


@dataclass(frozen=True, slots=True)
class IdNumber:
    """An accepted 证件号码 in its normalised form, with what the number itself tells."""

    document_type: DocumentType
    number: str
    sex: Sex | None = None
    birth_date: dt.date | None = None


def id_check_char(first17: str) -> str:
    """The 18th character for 17 digits by ISO 7064 MOD 11-2 (GB 11643-1999)."""
    if len(first17) != 17 or not first17.isascii() or not first17.isdigit():
        raise ValueError("id_check_char needs exactly 17 ASCII digits")
    total = sum(map(operator.mul, map(int, first17), _WEIGHTS))  # no generator: the legacy load runs it 1M times
    return _CHECK_CHARS[total % 11]


def normalise_id_number(raw: str) -> str:
    """Trim, full-width to half-width (NFKC) and upper case: ``x`` becomes ``X``."""
    return unicodedata.normalize("NFKC", raw).strip().upper()


def age_on(birth_date: dt.date, on: dt.date) -> int:
    """Completed years of age on ``on`` (a 29 February birthday comes round on 1 March)."""
    return on.year - birth_date.year - ((on.month, on.day) < (birth_date.month, birth_date.day))


def _birth_date(number: str) -> dt.date | None:
    try:
        return dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return None


def _read_eighteen(
    document_type: DocumentType, number: str, prefixes: frozenset[int], on: dt.date
) -> IdNumber | IdProblem:
    """The shared 18-character layout: region (1–6), birth date (7–14), sequence (15–17, the
    17th odd for male), MOD 11-2 check character (18)."""
    if not _EIGHTEEN.fullmatch(number):
        return IdProblem.FORMAT
    if int(number[:2]) not in prefixes:
        return IdProblem.REGION
    born = _birth_date(number)
    if born is None:
        return IdProblem.BIRTH_DATE
    if born > on:
        return IdProblem.FUTURE_BIRTH_DATE
    if id_check_char(number[:17]) != number[17]:
        return IdProblem.CHECK_CHAR
    if age_on(born, on) < MIN_AGE:
        return IdProblem.UNDER_AGE
    sex = Sex.MALE if int(number[16]) % 2 else Sex.FEMALE
    return IdNumber(document_type, number, sex=sex, birth_date=born)


def read_id_number(document_type: DocumentType, raw: str, *, on: dt.date) -> IdNumber | IdProblem:
    """Check ``raw`` as a 证件号码 of ``document_type`` on the evaluation date ``on``.

    Returns the normalised number (with sex and birth date where the format carries them) or
    the first problem found.
    """
    number = normalise_id_number(raw)
    if not number:
        return IdProblem.EMPTY
    match document_type:
        case DocumentType.RESIDENT_ID:
            if len(number) == 15 and number.isascii() and number.isdigit():
                return IdProblem.FIFTEEN_DIGITS
            return _read_eighteen(document_type, number, PROVINCE_CODES, on)
        case DocumentType.HMT_RESIDENCE_PERMIT:
            return _read_eighteen(document_type, number, _HMT_PREFIXES, on)
        case DocumentType.FOREIGN_PERMANENT_RESIDENCE:
            if _OLD_FOREIGN.fullmatch(number):
                # The pre-2017 card: nationality letters + 12 digits, no check character and
                # a two-digit birth year, so nothing more can be verified.
                return IdNumber(document_type, number)
            if not number.startswith("9"):
                return IdProblem.FORMAT
            # The 2017 card: 9, issuing province, nationality, birth date (7–14), sequence, check.
            return _read_eighteen(document_type, number, frozenset(range(90, 100)), on)
        case DocumentType.PASSPORT:
            if not _PASSPORT.fullmatch(number):
                return IdProblem.FORMAT
            return IdNumber(document_type, number)


def mask_id_number(number: str) -> str:
    """The number for lists: ``110101********123X`` keeps the first 6 and the last 4.

    A shorter number (a passport) keeps proportionally less, so that most of it stays hidden.
    """
    length = len(number)
    head, tail = (6, 4) if length >= 14 else (length // 3, length // 4)
    return number[:head] + "*" * (length - head - tail) + number[length - tail :]


def normalise_serial(raw: str) -> str:
    """The form under which two 出厂编号 count as the same instrument.

    Trim, full-width to half-width (NFKC), upper case and inner whitespace runs collapsed to
    one space. Nothing else: hyphens, dots, O/0 and I/1 stay distinct, so two different
    serials are never merged.
    """
    return " ".join(unicodedata.normalize("NFKC", raw).upper().split())
