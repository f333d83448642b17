"""Pure rules of identity: 统一社会信用代码 check character, password policy, mobile, unit-name key."""

from __future__ import annotations

import msgspec
import pytest

from contracts.identity import api
from contracts.types import Mobile
from services.identity import errors, model, rules
from services.identity.rules import CreditCodeProblem

# Public registration data of well-known units; each passes the GB 32100-2015 check.
REAL_CODES = [
    "91350100M000100Y43",  # worked example: M000100Y4 is also a valid GB 11714 organisation code
    "914403001922038216",  # 华为技术有限公司
    "9144030071526726XG",  # 深圳市腾讯计算机系统有限公司
    "91330100716105852F",  # 阿里巴巴（中国）有限公司
    "91110108551385082Q",  # 小米科技有限责任公司
    "53100000500021676K",  # 民政 5 / 社会团体 3: a foundation
    "12100000400000624D",  # 机构编制 1 / 事业单位 2
]


@pytest.mark.parametrize("code", REAL_CODES)
def test_real_codes_pass(code: str) -> None:
    assert rules.credit_code_problem(code) is None
    assert rules.credit_code_check_char(code[:17]) == code[17]


def test_check_character_by_hand() -> None:
    # 9·1 + 1·3 + 1·9 + 1·27 + 1·20 + 5·10 + 8·30 + 9·28 = 610; 610 mod 31 = 21; 31 - 21 = 10 → "A".
    assert rules.credit_code_check_char("91110000100000589") == "A"


def test_check_character_31_becomes_0() -> None:
    # The 17 characters "00000000000000000" sum to 0: 31 - 0 = 31 → "0".
    assert rules.credit_code_check_char("0" * 17) == "0"


@pytest.mark.parametrize(
    ("code", "problem"),
    [
        ("91110000100000589B", CreditCodeProblem.CHECK_CHAR),  # the correct check character is A
        ("914403001922038217", CreditCodeProblem.CHECK_CHAR),  # one digit off
        ("9144030071526726XH", CreditCodeProblem.CHECK_CHAR),
        ("91350100M000100Y4", CreditCodeProblem.FORMAT),  # 17 characters
        ("91350100M000100Y43X", CreditCodeProblem.FORMAT),  # 19 characters
        ("91350100M000100I43", CreditCodeProblem.FORMAT),  # I is not in the charset
        ("91350100m000100y43", CreditCodeProblem.FORMAT),  # lower case
        ("B1350100M000100Y43", CreditCodeProblem.AUTHORITY),  # no registration authority B
        ("0135010057254123XX", CreditCodeProblem.AUTHORITY),
        ("94350100M000100Y43", CreditCodeProblem.CATEGORY),  # 工商 has types 1, 2, 3 only
        ("Y2350100M000100Y43", CreditCodeProblem.CATEGORY),
        ("9135A100M000100Y43", CreditCodeProblem.REGION),  # division code must be digits
    ],
)
def test_bad_codes_are_refused_with_the_reason(code: str, problem: CreditCodeProblem) -> None:
    assert rules.credit_code_problem(code) is problem


@pytest.mark.parametrize(
    "first17", ["91350100M000100Y4", "92440300MA5F00000", "Y1110000000000001", "N2110000ABCDEFGHJ"]
)
def test_computed_check_character_makes_a_valid_code(first17: str) -> None:
    assert rules.credit_code_problem(first17 + rules.credit_code_check_char(first17)) is None


@pytest.mark.parametrize(
    ("password", "strong"),
    [
        ("Abcdefg1", True),  # upper, lower, digit; exactly 8
        ("abcdefg1!", True),  # lower, digit, symbol
        ("ABCDEFG1!", True),  # upper, digit, symbol
        ("Abcdefgh!", True),  # upper, lower, symbol
        ("测绘Abcdef1", True),  # non-ASCII letters count as symbols
        ("Abcdef1", False),  # 7 characters
        ("abcdefgh1", False),  # two classes
        ("ABCDEFGH", False),
        ("12345678", False),
        ("abcd efgh1", False),  # a space is not a symbol
        ("", False),
    ],
)
def test_password_policy(password: str, strong: bool) -> None:
    assert rules.password_is_strong(password) is strong


@pytest.mark.parametrize(
    ("mobile", "valid"),
    [
        ("13800138000", True),
        ("19912345678", True),
        ("12800138000", False),  # second digit 3–9
        ("1380013800", False),  # 10 digits
        ("138001380001", False),  # 12 digits
        ("+8613800138000", False),
        ("1380013800a", False),
    ],
)
def test_mobile(mobile: str, valid: bool) -> None:
    try:
        msgspec.convert(mobile, Mobile)
    except msgspec.ValidationError:
        assert not valid
    else:
        assert valid


def test_unit_name_key_ignores_width_spaces_and_case() -> None:
    assert rules.unit_name_key("北京某测绘（集团）有限公司") == rules.unit_name_key(" 北京某测绘 (集团) 有限公司 ")
    assert rules.unit_name_key("ＡＢＣ测绘") == rules.unit_name_key("abc测绘")
    assert rules.unit_name_key("北京某测绘有限公司") != rules.unit_name_key("北京某测绘有限公司一")


def _request(**overrides: str) -> api.RegisterRequest:
    fields = {
        "username": "surveyor",
        "password": "Str0ng-pass",
        "password_confirm": "Str0ng-pass",
        "unit_name": "某测绘有限公司",
        "credit_code": "91350100M000100Y43",
        "contact_name": "张三",
        "mobile": "13800138000",
    }
    return api.RegisterRequest(**{**fields, **overrides})


@pytest.mark.parametrize(
    ("overrides", "error", "field"),
    [
        ({"credit_code": "91110000100000589B"}, errors.InvalidCreditCodeError, "$.credit_code"),
        ({"password": "weakpass", "password_confirm": "weakpass"}, errors.WeakPasswordError, "$.password"),
        ({"password_confirm": "Str0ng-pass!"}, errors.PasswordMismatchError, "$.password_confirm"),
        ({"unit_name": "   "}, errors.BlankFieldError, "$.unit_name"),
        ({"contact_name": " "}, errors.BlankFieldError, "$.contact_name"),
    ],
)
def test_check_registration_names_the_field(overrides: dict[str, str], error: type[Exception], field: str) -> None:
    with pytest.raises(error) as caught:
        model.check_registration(_request(**overrides))
    assert caught.value.details == {"field": field}  # type: ignore[attr-defined]


def test_register_records_the_event() -> None:
    registration = model.register(_request(unit_name=" 某测绘有限公司 "), password_hash="h")
    event = registration.event
    assert event.aggregate_id == event.unit_id == str(registration.unit.id)
    assert event.account_id == str(registration.account.id)
    assert (event.unit_name, registration.unit.name) == ("某测绘有限公司", "某测绘有限公司")
    assert registration.account.role == "unit"
    assert registration.account.unit_id == registration.unit.id
