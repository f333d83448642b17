"""技术人员 read from the form (model.person) and the completeness of each category (model.completeness):
pure, table-driven, on a fixed evaluation date."""

from __future__ import annotations

import datetime as dt
from typing import Any

import msgspec
import pytest

from contracts.staffing import api
from services.kernel import InvalidInputError
from services.staffing import errors
from services.staffing.model import completeness
from services.staffing.model.completeness import Attached
from services.staffing.model.person import LEGACY, Person, read_person
from services.staffing.rules import id_check_char
from tests.builders.staffing import a_person, an_id_number

TODAY = dt.date(2025, 6, 30)


def form(**overrides: Any) -> api.PersonCreate:
    return msgspec.convert(a_person(**overrides), api.PersonCreate)


def refusal(**overrides: Any) -> InvalidInputError:
    with pytest.raises(InvalidInputError) as caught:
        read_person(form(**overrides), today=TODAY)
    return caught.value


def wrong_check(number: str) -> str:
    return number[:17] + ("0" if number[17] != "0" else "1")


# --- 证件号码 -----------------------------------------------------------------------------------

VALID = [
    ("a man born 1985", an_id_number(dt.date(1985, 5, 1), seq=123), "男", dt.date(1985, 5, 1)),
    ("a woman born 1985", an_id_number(dt.date(1985, 5, 1), seq=124), "女", dt.date(1985, 5, 1)),
    ("a 29 February", an_id_number(dt.date(1988, 2, 29), province="44", seq=11), "男", dt.date(1988, 2, 29)),
    ("just 16 today", an_id_number(dt.date(2009, 6, 30), province="65", seq=2), "女", dt.date(2009, 6, 30)),
    ("GB 11643's own example", "11010519491231002X", "女", dt.date(1949, 12, 31)),
]


@pytest.mark.parametrize(("case", "number", "gender", "born"), VALID, ids=[v[0] for v in VALID])
def test_a_valid_number_gives_gender_and_birth_date(case: str, number: str, gender: str, born: dt.date) -> None:
    person, read = read_person(form(id_number=f" {number.lower()} ", hired_on=None), today=TODAY)
    assert read.number == number
    assert (person.gender, person.birth_date) == (gender, born)


def test_a_lower_case_x_is_accepted_as_upper_case() -> None:
    person, read = read_person(form(id_number="11010519491231002x"), today=TODAY)
    assert read.number == "11010519491231002X"
    assert person.gender == "女"


FIRST17 = "11010519850501123"
REFUSED = [
    ("wrong check digit", wrong_check(an_id_number(seq=5)), "check_char", "校验位不正确"),
    ("impossible date", "110105" + "19850230" + "123", "birth_date", "不是有效的出生日期"),
    ("future date", "110105" + "20260101" + "123", "future_birth_date", "晚于当前日期"),
    ("15 digits", "110105850501123", "fifteen_digits", "请填写18位身份证号"),
    ("unknown province", "990105" + "19850501" + "123", "region", "省级行政区划代码"),
    ("letters", "11010519850501ABCD", "format", "应为18位"),
    ("under 16", "110105" + "20100101" + "123", "under_age", "年满16周岁"),
]


@pytest.mark.parametrize(("case", "number", "problem", "says"), REFUSED, ids=[r[0] for r in REFUSED])
def test_a_bad_number_is_refused_naming_id_number(case: str, number: str, problem: str, says: str) -> None:
    if len(number) == 17:
        number += id_check_char(number)
    error = refusal(id_number=number)
    assert isinstance(error, errors.InvalidIdNumberError)
    assert error.details == {"field": "$.id_number", "problem": problem}
    assert says in error.message


def test_the_fifteen_digit_message_is_the_manuals() -> None:
    assert refusal(id_number="110105850501123").message == "请填写18位身份证号"


def test_gender_or_birth_date_contradicting_the_number_is_refused() -> None:
    number = an_id_number(dt.date(1985, 5, 1), seq=123)  # a man
    assert refusal(id_number=number, gender="女").details == {"field": "$.gender"}
    assert refusal(id_number=number, birth_date="1985-05-02").details == {"field": "$.birth_date"}
    person, _ = read_person(form(id_number=number, gender="男", birth_date="1985-05-01"), today=TODAY)
    assert person.gender == "男"


# --- 护照 and the old 外国人永久居留身份证 ---------------------------------------------------------

NO_BIRTH_DATE = [("护照", "E12345678"), ("外国人永久居留身份证", "USA110085050123")]


@pytest.mark.parametrize(("id_type", "number"), NO_BIRTH_DATE)
def test_a_number_without_birth_date_needs_gender_and_birth_date(id_type: str, number: str) -> None:
    missing_gender = refusal(id_type=id_type, id_number=number, birth_date="1980-01-01")
    assert isinstance(missing_gender, errors.MissingFieldError)
    assert missing_gender.details == {"field": "$.gender"}
    assert missing_gender.message.endswith("请填写性别")
    missing_birth = refusal(id_type=id_type, id_number=number, gender="女")
    assert missing_birth.details == {"field": "$.birth_date"}
    person, read = read_person(
        form(id_type=id_type, id_number=number.lower(), gender="女", birth_date="1980-01-01"), today=TODAY
    )
    assert (person.id_type, read.number, person.gender, person.birth_date) == (
        id_type,
        number,
        "女",
        dt.date(1980, 1, 1),
    )


@pytest.mark.parametrize(
    ("birth_date", "says"), [("2010-01-01", "年满16周岁"), ("2026-01-01", "不能晚于今天")], ids=["under 16", "future"]
)
def test_a_stated_birth_date_is_checked(birth_date: str, says: str) -> None:
    error = refusal(id_type="护照", id_number="E12345678", gender="男", birth_date=birth_date)
    assert error.details == {"field": "$.birth_date"}
    assert says in error.message


# --- the rest of the form ---------------------------------------------------------------------


def test_a_surveying_person_needs_a_title_level() -> None:
    error = refusal(title_level=None)
    assert isinstance(error, errors.MissingFieldError)
    assert error.details == {"field": "$.title_level"}
    assert error.message == "测绘专业技术人员请填写职称等级"
    for category in ("相关专业技术人员", "非专业技术人员"):
        person, _ = read_person(form(category=category, title_level=None), today=TODAY)
        assert person.title_level is None


@pytest.mark.parametrize(
    ("hired_on", "says"),
    [("2025-07-01", "不能晚于今天"), ("2001-04-30", "年满16周岁")],
    ids=["future", "before the 16th birthday"],
)
def test_hired_on_is_neither_future_nor_before_sixteen(hired_on: str, says: str) -> None:
    error = refusal(id_number=an_id_number(dt.date(1985, 5, 1)), hired_on=hired_on)
    assert error.details == {"field": "$.hired_on"}
    assert says in error.message


def test_hired_on_the_sixteenth_birthday_and_today_are_accepted() -> None:
    number = an_id_number(dt.date(1985, 5, 1))
    for day in ("2001-05-01", TODAY.isoformat()):
        person, _ = read_person(form(id_number=number, hired_on=day), today=TODAY)
        assert person.hired_on == dt.date.fromisoformat(day)


def test_text_is_trimmed_and_blank_text_is_absent() -> None:
    person, _ = read_person(form(name="  李四 ", title_name=" 工程师 ", major="   ", school="\t"), today=TODAY)
    assert (person.name, person.title_name, person.major, person.school) == ("李四", "工程师", None, None)
    blank = refusal(name="   ")
    assert isinstance(blank, errors.MissingFieldError)
    assert blank.details == {"field": "$.name"}


def test_the_person_read_is_the_form_entered() -> None:
    number = an_id_number(dt.date(1990, 1, 2), seq=8)
    person, _ = read_person(form(id_number=number, retired=True, substitute_reason="职称证书遗失"), today=TODAY)
    assert person == Person(
        name="张三",
        id_type="居民身份证",
        category="测绘专业技术人员",
        gender="女",
        birth_date=dt.date(1990, 1, 2),
        title_level="高级",
        title_name="高级工程师",
        major="测绘工程",
        education="大学本科",
        school="武汉大学",
        retired=True,
        hired_on=dt.date(2015, 7, 1),
        substitute_reason="职称证书遗失",
    )
    assert person.source != LEGACY


# --- completeness (manual 5.5.3) --------------------------------------------------------------

EVERYONE = ["社保缴纳证明", "身份证"]


def attached(*purposes: str, deleted: tuple[str, ...] = ()) -> list[Attached]:
    return [Attached(purpose=p, document_id=f"d{i}", usable=p not in deleted) for i, p in enumerate(purposes)]


CASES: list[tuple[str, dict[str, Any], list[str]]] = [
    ("测绘专业 complete", {"category": "测绘专业技术人员", "attached": attached("职称证书", *EVERYONE)}, []),
    (
        "测绘专业 without 职称证书",
        {"category": "测绘专业技术人员", "attached": attached(*EVERYONE)},
        ["请上传职称证书"],
    ),
    (
        "测绘专业 with 学历证书 only",
        {"category": "测绘专业技术人员", "attached": attached("学历证书", *EVERYONE)},
        ["请上传职称证书"],
    ),
    ("相关专业 with 学历证书", {"category": "相关专业技术人员", "attached": attached("学历证书", *EVERYONE)}, []),
    ("相关专业 with 职称证书", {"category": "相关专业技术人员", "attached": attached("职称证书", *EVERYONE)}, []),
    (
        "相关专业 with neither",
        {"category": "相关专业技术人员", "attached": attached(*EVERYONE)},
        ["请上传职称证书或学历证书"],
    ),
    ("非专业 needs only the common two", {"category": "非专业技术人员", "attached": attached(*EVERYONE)}, []),
    ("nothing attached", {"category": "非专业技术人员", "attached": []}, ["请上传社保缴纳证明", "请上传身份证"]),
    (
        "退休 without 退休材料 and 劳务合同",
        {"category": "非专业技术人员", "retired": True, "attached": attached(*EVERYONE)},
        ["请上传退休材料", "请上传劳务合同"],
    ),
    (
        "退休 complete",
        {"category": "非专业技术人员", "retired": True, "attached": attached("退休材料", "劳务合同", *EVERYONE)},
        [],
    ),
    (
        "其它材料替代 with a reason",
        {
            "category": "测绘专业技术人员",
            "substitute_reason": "证书遗失，补办中",
            "attached": attached("其它", *EVERYONE),
        },
        [],
    ),
    (
        "其它材料替代 without a reason",
        {"category": "测绘专业技术人员", "attached": attached("其它", *EVERYONE)},
        ["请上传职称证书", "以其它材料替代证书时，请填写替代理由"],
    ),
    (
        "其它材料替代 with a blank reason",
        {"category": "相关专业技术人员", "substitute_reason": "  ", "attached": attached("其它", *EVERYONE)},
        ["请上传职称证书或学历证书", "以其它材料替代证书时，请填写替代理由"],
    ),
    (
        "a reason without the 其它 document",
        {"category": "测绘专业技术人员", "substitute_reason": "证书遗失", "attached": attached(*EVERYONE)},
        ["请上传职称证书"],
    ),
    (
        "deleted 职称证书",
        {"category": "测绘专业技术人员", "attached": attached("职称证书", *EVERYONE, deleted=("职称证书",))},
        ["职称证书已被删除，请重新上传"],
    ),
    (
        "deleted 身份证",
        {"category": "非专业技术人员", "attached": attached(*EVERYONE, deleted=("身份证",))},
        ["身份证已被删除，请重新上传"],
    ),
    (
        "deleted 学历证书 of a 相关专业",
        {"category": "相关专业技术人员", "attached": attached("学历证书", *EVERYONE, deleted=("学历证书",))},
        ["职称证书或学历证书已被删除，请重新上传"],
    ),
]


@pytest.mark.parametrize(("case", "entry", "messages"), CASES, ids=[c[0] for c in CASES])
def test_person_completeness(case: str, entry: dict[str, Any], messages: list[str]) -> None:
    arguments = {"retired": False, "substitute_reason": None} | entry
    problems = completeness.person_problems(**arguments)
    assert [p.message for p in problems] == messages


def test_a_deleted_document_is_told_apart_from_a_missing_one() -> None:
    problems = completeness.person_problems(
        category="测绘专业技术人员",
        retired=False,
        substitute_reason=None,
        attached=attached("职称证书", "社保缴纳证明", deleted=("职称证书",)),
    )
    assert [p.code for p in problems] == ["document_deleted", "missing_document"]
