"""技术人员 (Person, manual 5.5): a person of a unit's roster, read and validated from the form.

Pure: the evaluation date comes in as an argument. ``read_person`` applies every rule of the
form (证件号码 per 证件类型, 性别 and 出生日期 read from the number or required where the number
does not carry them, 职称等级 for 测绘专业, 入职日期) and refuses with the error naming ``$.field``.
The 证件号码 itself is kept apart from the person (``IdNumber``): it is sealed, hashed and masked
before it is stored, and a transferred legacy person arrives already sealed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from contracts.staffing import api

from .. import errors
from ..rules import MIN_AGE, DocumentType, IdNumber, age_on, read_id_number

__all__ = ["ENTERED", "LEGACY", "SURVEYING", "Person", "read_person"]

SURVEYING = "测绘专业技术人员"
"""The category whose 职称等级 is required."""
ENTERED = "填报"
"""Source of a person typed in by the unit."""
LEGACY = "老人老办法"
"""Source of a person transferred from the old system's export."""


@dataclass(frozen=True, slots=True)
class Person:
    """The facts of a 技术人员 as stored, the 证件号码 aside (see the module docstring)."""

    name: str
    id_type: str
    category: str
    gender: str | None = None
    birth_date: dt.date | None = None
    title_level: str | None = None
    title_name: str | None = None
    major: str | None = None
    education: str | None = None
    school: str | None = None
    retired: bool = False
    hired_on: dt.date | None = None
    substitute_reason: str | None = None
    source: str = ENTERED


def read_person(data: api.PersonCreate, *, today: dt.date) -> tuple[Person, IdNumber]:
    """The validated person and its normalised 证件号码, or the first rule it breaks."""
    document_type = DocumentType(data.id_type)
    number = read_id_number(document_type, data.id_number, on=today)
    if not isinstance(number, IdNumber):
        raise errors.InvalidIdNumberError(document_type, number)
    gender, birth_date = _gender_and_birth_date(data, number, today=today)
    if data.category == SURVEYING and data.title_level is None:
        raise errors.MissingFieldError("title_level", "职称等级", why=SURVEYING)
    _check_hired_on(data.hired_on, birth_date, today=today)
    person = Person(
        name=_required_text(data.name, "name", "姓名"),
        id_type=document_type.value,
        category=data.category,
        gender=gender,
        birth_date=birth_date,
        title_level=data.title_level,
        title_name=_text(data.title_name),
        major=_text(data.major),
        education=data.education,
        school=_text(data.school),
        retired=data.retired,
        hired_on=data.hired_on,
        substitute_reason=_text(data.substitute_reason),
    )
    return person, number


def _gender_and_birth_date(data: api.PersonCreate, number: IdNumber, *, today: dt.date) -> tuple[str, dt.date]:
    """Read from an 18-character number (a different value sent along is refused); otherwise
    (护照, the old 外国人永久居留身份证) required from the form, and the age checked."""
    if number.sex is not None and number.birth_date is not None:
        if data.gender is not None and data.gender != number.sex.value:
            raise errors.InvalidFieldError("gender", "性别与证件号码不符，请核对后重新输入")
        if data.birth_date is not None and data.birth_date != number.birth_date:
            raise errors.InvalidFieldError("birth_date", "出生日期与证件号码不符，请核对后重新输入")
        return number.sex.value, number.birth_date
    why = f"{number.document_type.value}号码不含性别和出生日期，"
    if data.gender is None:
        raise errors.MissingFieldError("gender", "性别", why=why)
    if data.birth_date is None:
        raise errors.MissingFieldError("birth_date", "出生日期", why=why)
    if data.birth_date > today:
        raise errors.InvalidFieldError("birth_date", "出生日期不能晚于今天，请核对后重新输入")
    if age_on(data.birth_date, today) < MIN_AGE:
        raise errors.InvalidFieldError("birth_date", f"技术人员应年满{MIN_AGE}周岁，请核对出生日期")
    return data.gender, data.birth_date


def _check_hired_on(hired_on: dt.date | None, birth_date: dt.date, *, today: dt.date) -> None:
    if hired_on is None:
        return
    if hired_on > today:
        raise errors.InvalidFieldError("hired_on", "入职日期不能晚于今天，请核对后重新输入")
    if age_on(birth_date, hired_on) < MIN_AGE:
        raise errors.InvalidFieldError("hired_on", f"入职日期不能早于年满{MIN_AGE}周岁之日，请核对后重新输入")


def _text(value: str | None) -> str | None:
    """Trimmed; blank is absent."""
    if value is None:
        return None
    return value.strip() or None


def _required_text(value: str, field: str, label: str) -> str:
    text = _text(value)
    if text is None:
        raise errors.MissingFieldError(field, label)
    return text
