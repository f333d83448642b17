"""Pure checks of identity: 统一社会信用代码 (GB 32100-2015), password policy, unit-name key,
authority jurisdictions and roles."""

from __future__ import annotations

import enum
import string
import unicodedata
from collections.abc import Iterable

from contracts.auth import AuthorityRole
from contracts.identity.api import AUTHORITY_JURISDICTIONS, AUTHORITY_ROLE_NAMES

__all__ = [
    "CREDIT_CODE_CHARSET",
    "PASSWORD_MIN_CLASSES",
    "PASSWORD_MIN_LENGTH",
    "CreditCodeProblem",
    "canonical_roles",
    "credit_code_check_char",
    "credit_code_problem",
    "is_authority_jurisdiction",
    "password_classes",
    "password_is_strong",
    "roles_from_names",
    "unit_name_key",
]

CREDIT_CODE_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
"""The 31 characters of GB 32100-2015 (no I, O, S, V, Z), each worth its index."""

_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
"""3^i mod 31 for positions 1–17."""

_CATEGORIES: dict[str, str] = {
    "1": "1239",  # 机构编制: 机关, 事业单位, 中央编办直管群众团体, 其他
    "2": "19",  # 外交: 外国常驻新闻机构, 其他
    "3": "123459",  # 司法行政: 律师执业机构, 公证处, 基层法律服务所, 司法鉴定机构, 仲裁委员会, 其他
    "4": "19",  # 文化: 外国在华文化中心, 其他
    "5": "1239",  # 民政: 社会团体, 民办非企业单位, 基金会, 其他
    "6": "129",  # 旅游: 外国/港澳台旅游部门常驻代表机构, 其他
    "7": "129",  # 宗教: 宗教活动场所, 宗教院校, 其他
    "8": "19",  # 工会: 基层工会, 其他
    "9": "123",  # 工商: 企业, 个体工商户, 农民专业合作社
    "A": "19",  # 中央军委改革和编制办公室: 军队事业单位, 其他
    "N": "1239",  # 农业: 组级, 村级, 乡镇级集体经济组织, 其他
    "Y": "1",  # 其他
}
"""登记管理部门代码 (position 1) → its 机构类别代码 (position 2), as assigned under GB 32100."""

PASSWORD_MIN_LENGTH = 8
PASSWORD_MIN_CLASSES = 3


class CreditCodeProblem(enum.Enum):
    """Why a 统一社会信用代码 is refused; errors.py words each for the user."""

    FORMAT = "format"
    AUTHORITY = "authority"
    CATEGORY = "category"
    REGION = "region"
    CHECK_CHAR = "check_char"


def credit_code_check_char(first17: str) -> str:
    """The 18th character for the first 17: C18 = 31 - (Σ Ci·Wi mod 31), where 31 becomes 0."""
    total = sum(CREDIT_CODE_CHARSET.index(char) * weight for char, weight in zip(first17, _WEIGHTS, strict=True))
    return CREDIT_CODE_CHARSET[(31 - total % 31) % 31]


def credit_code_problem(code: str) -> CreditCodeProblem | None:
    """None when ``code`` is a well-formed code with a correct check character."""
    if len(code) != 18 or any(char not in CREDIT_CODE_CHARSET for char in code):
        return CreditCodeProblem.FORMAT
    if code[0] not in _CATEGORIES:
        return CreditCodeProblem.AUTHORITY
    if code[1] not in _CATEGORIES[code[0]]:
        return CreditCodeProblem.CATEGORY
    if not code[2:8].isdigit():
        return CreditCodeProblem.REGION
    if credit_code_check_char(code[:17]) != code[17]:
        return CreditCodeProblem.CHECK_CHAR
    return None


def password_classes(password: str) -> int:
    """How many of {upper, lower, digit, symbol} ``password`` uses (symbol: any other visible char)."""
    upper = any(char in string.ascii_uppercase for char in password)
    lower = any(char in string.ascii_lowercase for char in password)
    digit = any(char in string.digits for char in password)
    symbol = any(not (char.isascii() and char.isalnum()) and not char.isspace() for char in password)
    return upper + lower + digit + symbol


def password_is_strong(password: str) -> bool:
    """At least 8 characters and at least 3 of the 4 character classes."""
    return len(password) >= PASSWORD_MIN_LENGTH and password_classes(password) >= PASSWORD_MIN_CLASSES


def unit_name_key(name: str) -> str:
    """The form under which two unit names count as the same: NFKC (full/half width), no spaces, casefold.

    "北京某测绘（集团）有限公司" and "北京某测绘 (集团) 有限公司" share one key.
    """
    folded = unicodedata.normalize("NFKC", name).casefold()
    return "".join(char for char in folded if not char.isspace())


def is_authority_jurisdiction(code: str) -> bool:
    """``000000`` (自然资源部) or one of the 31 province codes (GB/T 2260)."""
    return code in AUTHORITY_JURISDICTIONS


def canonical_roles(roles: Iterable[AuthorityRole]) -> list[AuthorityRole]:
    """The distinct roles in workflow order: 受理, 审查, 审批."""
    wanted = set(roles)
    return [role for role in AUTHORITY_ROLE_NAMES if role in wanted]


def roles_from_names(text: str) -> list[AuthorityRole]:
    """``受理,审查,审批`` (Chinese or English names, ``,`` or ``，`` between) → the roles, in order.

    Raises ValueError naming the first unknown name, or when no role is named.
    """
    by_name: dict[str, AuthorityRole] = {name: role for role, name in AUTHORITY_ROLE_NAMES.items()}
    by_name.update({role: role for role in AUTHORITY_ROLE_NAMES})
    found: list[AuthorityRole] = []
    for name in (part.strip() for part in text.replace("，", ",").split(",")):
        if name and name not in by_name:
            raise ValueError(name)
        if name:
            found.append(by_name[name])
    if not found:
        raise ValueError(text)
    return canonical_roles(found)
