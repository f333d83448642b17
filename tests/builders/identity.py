"""Builders for identity: valid credit codes and registration forms with fresh values."""

from __future__ import annotations

import random
import uuid
from typing import Any

from services.identity.rules import CREDIT_CODE_CHARSET, credit_code_check_char

PASSWORD = "Str0ng-pass"


def a_credit_code() -> str:
    """A random, valid 统一社会信用代码 of a company (91 + division + organisation code + check)."""
    body = "91110108" + "".join(random.choices(CREDIT_CODE_CHARSET, k=9))
    return body + credit_code_check_char(body)


def a_registration(**overrides: Any) -> dict[str, Any]:
    """A valid 注册 form with a fresh username, unit name and credit code."""
    ref = uuid.uuid4().hex[:10]
    form = {
        "username": f"u{ref}",
        "password": PASSWORD,
        "password_confirm": PASSWORD,
        "unit_name": f"测绘单位{ref}有限公司",
        "credit_code": a_credit_code(),
        "contact_name": "张三",
        "mobile": "13800138000",
    }
    return {**form, **overrides}
