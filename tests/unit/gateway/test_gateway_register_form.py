"""注册 form: what is sent to identity and how identity's refusals land next to the fields."""

from __future__ import annotations

from gateway.portal.auth_pages import field_errors, missing_fields, register_values
from services.kernel import ConflictError, DomainError, InvalidInputError


def test_values_are_trimmed_except_passwords() -> None:
    values = register_values({"username": " unita ", "password": " p w ", "mobile": "138 ", "extra": "x"})

    assert values["username"] == "unita"
    assert values["password"] == " p w "
    assert values["mobile"] == "138"
    assert values["unit_name"] == ""
    assert "extra" not in values


def test_every_empty_field_is_named_with_its_label() -> None:
    missing = missing_fields(register_values({"username": "unita", "password": "x"}))

    assert {item["field"]: item["problem"] for item in missing} == {
        "$.password_confirm": "请填写确认密码",
        "$.unit_name": "请填写单位名称",
        "$.credit_code": "请填写统一社会信用代码",
        "$.contact_name": "请填写联系人",
        "$.mobile": "请填写手机号码",
    }


def test_a_domain_refusal_naming_one_field_is_shown_there_in_full() -> None:
    advice = "该单位名称已注册。请先在单位内部询问是否已注册账号……首次发起申请时再修改更正。"
    error = ConflictError(advice, code="identity.unit_name_taken", details={"field": "$.unit_name"})

    assert field_errors(error) == {"unit_name": advice}


def test_schema_refusals_get_the_portal_hint_instead_of_the_validator_text() -> None:
    problems = [
        {"field": "$.mobile", "problem": "类型或取值不符合要求（Expected `str` matching regex '^1[3-9][0-9]{9}$'）"},
        {"field": "$.username", "problem": "用户名已被使用"},
    ]
    error = InvalidInputError("输入有误", details=problems)

    assert field_errors(error) == {"mobile": "请输入 11 位手机号码", "username": "用户名已被使用"}


def test_refusals_without_a_known_field_are_not_field_errors() -> None:
    assert field_errors(DomainError("系统繁忙，请稍后再试", status_code=500)) == {}
    assert field_errors(InvalidInputError("x", details={"minutes": 15})) == {}
    assert field_errors(InvalidInputError("x", details=[{"field": "$.nosuch", "problem": "p"}, "junk"])) == {}
