"""Identity's leaves of the kernel DomainError tree, each with a dotted code and a Chinese message.

InvalidInputError (400)
 ├── InvalidCreditCodeError     identity.invalid_credit_code   $.credit_code
 ├── WeakPasswordError          identity.weak_password         $.password
 ├── PasswordMismatchError      identity.password_mismatch     $.password_confirm
 ├── BlankFieldError            identity.blank_field           the field
 └── InvalidJurisdictionError   identity.invalid_jurisdiction  $.jurisdiction (not 000000 or a province)
UnauthorizedError (401)
 ├── BadCredentialsError        identity.bad_credentials       (unknown user and wrong password alike)
 └── NoAccountError             identity.no_account            the token's account does not exist
ForbiddenError (403)             the kernel's guards: system_only, signed_in_only
 ├── AdminOnlyError             identity.admin_only            系统管理 is the administrator's alone
 └── AccountDisabledError       identity.account_disabled      a 停用 account logging in (right password)
NotFoundError (404)
 └── AccountNotFoundError       identity.account_not_found     also for another unit's account
ConflictError (409)
 ├── UnitNameTakenError         identity.unit_name_taken       $.unit_name, with the manual's advice
 ├── CreditCodeTakenError       identity.credit_code_taken     $.credit_code
 └── UsernameTakenError         identity.username_taken        $.username
DomainError (423)
 └── AccountLockedError         identity.account_locked        details.minutes: how long it stays locked
"""

from __future__ import annotations

from services.kernel import (
    ConflictError,
    DomainError,
    ForbiddenError,
    InvalidInputError,
    NotFoundError,
    UnauthorizedError,
)

from .rules import PASSWORD_MIN_CLASSES, PASSWORD_MIN_LENGTH, CreditCodeProblem

_CREDIT_CODE_MESSAGES = {
    CreditCodeProblem.FORMAT: "统一社会信用代码应为18位数字或大写字母（不含I、O、S、V、Z），请核对后重新输入",
    CreditCodeProblem.AUTHORITY: "统一社会信用代码第1位（登记管理部门代码）不正确，请核对后重新输入",
    CreditCodeProblem.CATEGORY: "统一社会信用代码第2位（机构类别代码）不正确，请核对后重新输入",
    CreditCodeProblem.REGION: "统一社会信用代码第3至8位（登记管理机关行政区划码）应为数字，请核对后重新输入",
    CreditCodeProblem.CHECK_CHAR: "统一社会信用代码校验位不正确，请核对后重新输入",
}


def _field(name: str) -> dict[str, str]:
    return {"field": f"$.{name}"}


class InvalidCreditCodeError(InvalidInputError):
    code = "identity.invalid_credit_code"

    def __init__(self, problem: CreditCodeProblem) -> None:
        super().__init__(_CREDIT_CODE_MESSAGES[problem], details=_field("credit_code"))


class WeakPasswordError(InvalidInputError):
    code = "identity.weak_password"

    def __init__(self) -> None:
        super().__init__(
            f"密码长度至少{PASSWORD_MIN_LENGTH}位，且须包含大写字母、小写字母、数字、特殊符号中的至少"
            f"{PASSWORD_MIN_CLASSES}类",
            details=_field("password"),
        )


class PasswordMismatchError(InvalidInputError):
    code = "identity.password_mismatch"

    def __init__(self) -> None:
        super().__init__("两次输入的密码不一致", details=_field("password_confirm"))


class BlankFieldError(InvalidInputError):
    code = "identity.blank_field"

    def __init__(self, field: str) -> None:
        super().__init__("该项不能只填写空格，请重新填写", details=_field(field))


class InvalidJurisdictionError(InvalidInputError):
    code = "identity.invalid_jurisdiction"

    def __init__(self) -> None:
        super().__init__(
            "管辖区域应为省级行政区划代码（如110000）或000000（自然资源部）", details=_field("jurisdiction")
        )


class AdminOnlyError(ForbiddenError):
    code = "identity.admin_only"

    def __init__(self) -> None:
        super().__init__("仅限系统管理员操作")


class AccountDisabledError(ForbiddenError):
    code = "identity.account_disabled"

    def __init__(self) -> None:
        super().__init__("该账户已停用，请联系系统管理员")


class BadCredentialsError(UnauthorizedError):
    code = "identity.bad_credentials"

    def __init__(self) -> None:
        super().__init__("用户名或密码错误")


class NoAccountError(UnauthorizedError):
    code = "identity.no_account"

    def __init__(self) -> None:
        super().__init__("账户不存在，请重新登录")


class AccountNotFoundError(NotFoundError):
    code = "identity.account_not_found"

    def __init__(self) -> None:
        super().__init__("账户不存在")


class UnitNameTakenError(ConflictError):
    code = "identity.unit_name_taken"

    def __init__(self) -> None:
        super().__init__(
            "该单位名称已注册。请先在单位内部询问是否已注册账号，如已注册请使用原账号登录系统；"
            "如未注册，可在单位名称后面多加几个字符后注册，待注册成功后，首次发起申请时再修改更正。",
            details=_field("unit_name"),
        )


class CreditCodeTakenError(ConflictError):
    code = "identity.credit_code_taken"

    def __init__(self) -> None:
        super().__init__(
            "该统一社会信用代码已注册。请先在单位内部询问是否已注册账号，如已注册请使用原账号登录系统。",
            details=_field("credit_code"),
        )


class UsernameTakenError(ConflictError):
    code = "identity.username_taken"

    def __init__(self) -> None:
        super().__init__("该用户名已被使用，请更换用户名", details=_field("username"))


class AccountLockedError(DomainError):
    status_code = 423
    code = "identity.account_locked"

    def __init__(self, minutes: int, *, just_locked: bool = False, max_failures: int = 0) -> None:
        if just_locked:
            message = f"密码连续错误{max_failures}次，账户已锁定，请{minutes}分钟后再试"
        else:
            message = f"账户已锁定，请{minutes}分钟后再试"
        super().__init__(message, details={"minutes": minutes})
