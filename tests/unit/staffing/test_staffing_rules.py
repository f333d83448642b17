"""Pure rules of staffing: 证件号码 of each 证件类型 (GB 11643 MOD 11-2), serial normalisation, masking."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.staffing import errors, rules
from services.staffing.rules import DocumentType, IdNumber, IdProblem, Sex

ON = dt.date(2025, 6, 30)
"""The evaluation date every case is read on."""

RESIDENT = DocumentType.RESIDENT_ID
HMT = DocumentType.HMT_RESIDENCE_PERMIT
FOREIGN = DocumentType.FOREIGN_PERMANENT_RESIDENCE
PASSPORT = DocumentType.PASSPORT


def reference_check_char(first17: str) -> str:
    """An independent ISO 7064 MOD 11-2: weights 2^(17-i) mod 11, check = (12 - S mod 11) mod 11."""
    total = sum(int(char) * pow(2, 17 - index, 11) for index, char in enumerate(first17))
    value = (12 - total % 11) % 11
    return "X" if value == 10 else str(value)


def make(first17: str) -> str:
    """A number with the correct check character."""
    return first17 + reference_check_char(first17)


def with_wrong_check(first17: str) -> str:
    right = reference_check_char(first17)
    return first17 + ("0" if right != "0" else "1")


# Published examples that pass the check: GB 11643-1999's own, and the ones textbooks use.
PUBLISHED = [
    ("11010519491231002X", Sex.FEMALE, dt.date(1949, 12, 31)),
    ("440524188001010014", Sex.MALE, dt.date(1880, 1, 1)),
]


@pytest.mark.parametrize(("number", "sex", "born"), PUBLISHED)
def test_published_numbers_pass_with_sex_and_birth_date(number: str, sex: Sex, born: dt.date) -> None:
    assert rules.id_check_char(number[:17]) == number[17]
    assert rules.read_id_number(RESIDENT, number, on=ON) == IdNumber(RESIDENT, number, sex=sex, birth_date=born)


@pytest.mark.parametrize(
    ("first17", "sex", "born"),
    [
        ("11010119900307001", Sex.MALE, dt.date(1990, 3, 7)),  # 17th digit 1: male
        ("31011519851120002", Sex.FEMALE, dt.date(1985, 11, 20)),  # 17th digit 2: female
        ("65010220000229123", Sex.MALE, dt.date(2000, 2, 29)),  # a real 29 February
        ("82000019700101004", Sex.FEMALE, dt.date(1970, 1, 1)),  # 澳门
        ("71000019600615007", Sex.MALE, dt.date(1960, 6, 15)),  # 台湾
        ("15999919800101001", Sex.MALE, dt.date(1980, 1, 1)),  # area code 159999 does not exist: not checked
        ("43300119700101000", Sex.FEMALE, dt.date(1970, 1, 1)),  # an abolished area code keeps working
    ],
)
def test_valid_resident_ids(first17: str, sex: Sex, born: dt.date) -> None:
    number = make(first17)
    assert rules.read_id_number(RESIDENT, number, on=ON) == IdNumber(RESIDENT, number, sex=sex, birth_date=born)


def test_a_lower_case_x_is_accepted_and_normalised() -> None:
    read = rules.read_id_number(RESIDENT, "11010519491231002x", on=ON)
    assert isinstance(read, IdNumber)
    assert read.number == "11010519491231002X"


def test_full_width_digits_and_surrounding_spaces_are_normalised() -> None:
    read = rules.read_id_number(RESIDENT, "  １１０１０５１９４９１２３１００２ｘ\u3000", on=ON)
    assert isinstance(read, IdNumber)
    assert read.number == "11010519491231002X"


@pytest.mark.parametrize(
    ("raw", "problem"),
    [
        ("", IdProblem.EMPTY),
        ("   ", IdProblem.EMPTY),
        ("110105491231002", IdProblem.FIFTEEN_DIGITS),
        ("11010549123100", IdProblem.FORMAT),  # 14 digits
        ("1101051949123100200", IdProblem.FORMAT),  # 19 digits
        ("1101051949123100X2", IdProblem.FORMAT),  # X not at the end
        ("11010519491231002Y", IdProblem.FORMAT),
        ("110105 19491231002X", IdProblem.FORMAT),
        (with_wrong_check("11010519491231002"), IdProblem.CHECK_CHAR),
        ("110105194912310021", IdProblem.CHECK_CHAR),
        (make("11010519990230001"), IdProblem.BIRTH_DATE),  # 1999-02-30
        (make("11010519991301001"), IdProblem.BIRTH_DATE),  # month 13
        (make("11010519990000001"), IdProblem.BIRTH_DATE),
        (make("11010520010229001"), IdProblem.BIRTH_DATE),  # 2001 is not a leap year
        (make("11010520250701001"), IdProblem.FUTURE_BIRTH_DATE),  # the day after ON
        (make("11010530000101001"), IdProblem.FUTURE_BIRTH_DATE),
        (make("10010519800101001"), IdProblem.REGION),
        (make("16010519800101001"), IdProblem.REGION),
        (make("24010519800101001"), IdProblem.REGION),
        (make("83010519800101001"), IdProblem.REGION),  # 83 is a 台湾居民居住证, not a 居民身份证
        (make("99010519800101001"), IdProblem.REGION),
        (make("00010519800101001"), IdProblem.REGION),
        (make("11010520090701001"), IdProblem.UNDER_AGE),  # 16 tomorrow
        (make("11010520250630001"), IdProblem.UNDER_AGE),  # born today
    ],
)
def test_refused_resident_ids(raw: str, problem: IdProblem) -> None:
    assert rules.read_id_number(RESIDENT, raw, on=ON) is problem


def test_age_sixteen_is_reached_on_the_birthday() -> None:
    number = make("11010520090630001")
    assert rules.read_id_number(RESIDENT, number, on=ON - dt.timedelta(days=1)) is IdProblem.UNDER_AGE
    assert isinstance(rules.read_id_number(RESIDENT, number, on=ON), IdNumber)


def test_the_evaluation_date_decides_what_is_in_the_future() -> None:
    number = make("11010520000101001")
    assert rules.read_id_number(RESIDENT, number, on=dt.date(1999, 12, 31)) is IdProblem.FUTURE_BIRTH_DATE
    assert isinstance(rules.read_id_number(RESIDENT, number, on=ON), IdNumber)


@pytest.mark.parametrize(
    ("document_type", "raw", "expected"),
    [
        # 港澳台居民居住证: the 18-character layout with prefixes 81/82/83
        (HMT, make("81000019900101001"), Sex.MALE),
        (HMT, make("82000019900101002"), Sex.FEMALE),
        (HMT, make("83000019900101003"), Sex.MALE),
        (HMT, make("11010519900101003"), IdProblem.REGION),
        (HMT, with_wrong_check("81000019900101001"), IdProblem.CHECK_CHAR),
        (HMT, make("81000019900231001"), IdProblem.BIRTH_DATE),
        (HMT, make("81000020150101001"), IdProblem.UNDER_AGE),
        (HMT, "81000019900101", IdProblem.FORMAT),
        # 外国人永久居留身份证, 2017: 9 + province + nationality + birth date + sequence + check
        (FOREIGN, make("93115619800101001"), Sex.MALE),
        (FOREIGN, make("93115619800101002"), Sex.FEMALE),
        (FOREIGN, with_wrong_check("93115619800101001"), IdProblem.CHECK_CHAR),
        (FOREIGN, make("93115619800132001"), IdProblem.BIRTH_DATE),
        (FOREIGN, make("93115630000101001"), IdProblem.FUTURE_BIRTH_DATE),
        (FOREIGN, make("83115619800101001"), IdProblem.FORMAT),
        (FOREIGN, "9311561980010100", IdProblem.FORMAT),
        # 外国人永久居留身份证, before 2017: 3 letters + 12 digits, no check character
        (FOREIGN, "USA110080010150", None),
        (FOREIGN, "usa110080010150", None),
        (FOREIGN, "US1110080010150", IdProblem.FORMAT),
        (FOREIGN, "USA11008001015", IdProblem.FORMAT),
        # 护照: 5–20 letters or digits
        (PASSPORT, "E12345678", None),
        (PASSPORT, "g1234567", None),
        (PASSPORT, "A1234", None),
        (PASSPORT, "A" * 20, None),
        (PASSPORT, "A123", IdProblem.FORMAT),
        (PASSPORT, "A" * 21, IdProblem.FORMAT),
        (PASSPORT, "E1234-5678", IdProblem.FORMAT),
        (PASSPORT, "护照12345", IdProblem.FORMAT),
        (PASSPORT, "", IdProblem.EMPTY),
    ],
)
def test_other_document_types(document_type: DocumentType, raw: str, expected: Sex | IdProblem | None) -> None:
    read = rules.read_id_number(document_type, raw, on=ON)
    if isinstance(expected, IdProblem):
        assert read is expected
        return
    assert isinstance(read, IdNumber)
    assert read.document_type is document_type
    assert read.number == raw.strip().upper()
    assert read.sex is expected
    assert (read.birth_date is None) == (expected is None)


def test_a_fifteen_digit_number_is_its_own_problem_only_for_the_resident_id() -> None:
    assert rules.read_id_number(RESIDENT, "110105491231002", on=ON) is IdProblem.FIFTEEN_DIGITS
    assert rules.read_id_number(HMT, "810000901231002", on=ON) is IdProblem.FORMAT


def test_id_check_char_refuses_anything_but_17_digits() -> None:
    for bad in ("", "1101051949123100", "110105194912310020", "1101051949123100X"):
        with pytest.raises(ValueError):
            rules.id_check_char(bad)


# --- property: for any body, exactly one check character makes the number valid --------------

_bodies = st.builds(
    lambda province, area, born, sequence: f"{province:02d}{area:04d}{born:%Y%m%d}{sequence:03d}",
    st.sampled_from(sorted(rules.PROVINCE_CODES)),
    st.integers(0, 9999),
    st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(ON.year - rules.MIN_AGE, ON.month, ON.day)),
    st.integers(0, 999),
)


@given(body=_bodies)
def test_the_computed_check_char_is_the_only_one_that_validates(body: str) -> None:
    check = rules.id_check_char(body)
    assert check == reference_check_char(body)
    assert isinstance(rules.read_id_number(RESIDENT, body + check, on=ON), IdNumber)
    for other in "0123456789X".replace(check, ""):
        assert rules.read_id_number(RESIDENT, body + other, on=ON) is IdProblem.CHECK_CHAR


@given(body=_bodies, position=st.integers(0, 16), delta=st.integers(1, 9))
def test_a_single_changed_digit_is_never_valid(body: str, position: int, delta: int) -> None:
    number = body + rules.id_check_char(body)
    changed = number[:position] + str((int(number[position]) + delta) % 10) + number[position + 1 :]
    assert not isinstance(rules.read_id_number(RESIDENT, changed, on=ON), IdNumber)


# --- messages ---------------------------------------------------------------------------------


def test_every_problem_of_every_type_has_a_chinese_message() -> None:
    for document_type in DocumentType:
        for problem in IdProblem:
            message = errors.id_number_message(document_type, problem)
            assert message and "{" not in message


def test_the_fifteen_digit_message_is_the_manuals() -> None:
    error = errors.InvalidIdNumberError(RESIDENT, IdProblem.FIFTEEN_DIGITS)
    assert error.message == "请填写18位身份证号"
    assert error.status_code == 400
    assert error.code == "staffing.invalid_id_number"
    assert error.details == {"field": "$.id_number", "problem": "fifteen_digits"}


# --- equipment serial numbers -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "normalised"),
    [
        ("SN-12345", "SN-12345"),
        ("  sn-12345  ", "SN-12345"),
        ("Sn-12345", "SN-12345"),
        ("ＳＮ－１２３４５", "SN-12345"),  # full-width letters, hyphen and digits
        ("ｓｎ１２３４５", "SN12345"),
        ("ab  12\t34", "AB 12 34"),
        ("AB\u300012", "AB 12"),  # ideographic space
        ("\tTS60 ", "TS60"),
        ("", ""),
    ],
)
def test_serial_normalisation(raw: str, normalised: str) -> None:
    assert rules.normalise_serial(raw) == normalised


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("SN-12345", "SN12345"),  # a hyphen is part of the serial
        ("AB 12", "AB12"),  # an inner space still separates
        ("O123", "0123"),  # letter O against digit zero
        ("I123", "1123"),
        ("SN.1", "SN1"),
        ("12345", "012345"),
    ],
)
def test_different_serials_are_never_merged(one: str, other: str) -> None:
    assert rules.normalise_serial(one) != rules.normalise_serial(other)


@given(st.text(alphabet=st.characters(codec="ascii", categories=["Lu", "Nd", "Pd"]), min_size=1))
def test_serial_normalisation_is_idempotent_and_keeps_plain_serials(serial: str) -> None:
    assert rules.normalise_serial(serial) == serial
    assert rules.normalise_serial(rules.normalise_serial(" " + serial.lower() + " ")) == serial


# --- masking ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("number", "masked"),
    [
        ("11010519491231002X", "110105********002X"),
        ("110101199003071234", "110101********1234"),
        ("USA110080010150", "USA110*****0150"),
        ("E12345678", "E12****78"),
        ("A1234", "A***4"),
        ("", ""),
    ],
)
def test_mask_id_number(number: str, masked: str) -> None:
    assert rules.mask_id_number(number) == masked
    assert len(masked) == len(number)


@given(st.text(alphabet="0123456789X", max_size=20))
def test_masking_hides_at_least_a_third(number: str) -> None:
    masked = rules.mask_id_number(number)
    assert len(masked) == len(number)
    assert masked.count("*") >= len(number) // 3
