"""Identity's HTTP API as the gateway (and tests) call it.

Routes (all behind the internal token; ``system`` means the gateway acting for an anonymous
portal visitor, signed with role ``system``):
    POST /accounts                 RegisterRequest -> 201 Account          (system)
    POST /logins/password          PasswordLogin   -> 200 LoginResult      (system)
    GET  /me                       -> Me                                   (any signed-in caller)
    GET  /accounts/{account_id}    -> Account      (the caller's own account, or an authority/admin)
"""

from __future__ import annotations

from typing import Annotated, Literal

import msgspec

from contracts.base import Request, Response
from contracts.types import ClientIp, CreditCode, Mobile, Password, ShortText, UnitName, Username


class RegisterRequest(Request):
    """注册: 用户名, 密码, 确认密码, 单位名称, 统一社会信用代码, 联系人, 手机号码."""

    username: Username
    password: Password
    password_confirm: Password
    unit_name: UnitName
    credit_code: CreditCode
    contact_name: ShortText
    mobile: Mobile


class PasswordLogin(Request):
    """账户登录. ``client_ip`` is set by the gateway (for the audit log and per-IP limits)."""

    username: Annotated[str, msgspec.Meta(min_length=1, max_length=64)]
    password: Password
    client_ip: ClientIp = ""


class Account(Response):
    """An account and its unit as the owner (or an authority) sees them."""

    account_id: str
    username: str
    role: Literal["unit", "authority", "admin"]
    unit_id: str | None = None
    unit_name: str | None = None
    credit_code: str | None = None
    contact_name: str | None = None
    mobile: str | None = None
    jurisdiction: str | None = None
    created_at: str | None = None


class LoginResult(Response):
    """What the gateway puts in the new session."""

    account_id: str
    username: str
    role: Literal["unit", "authority", "admin"]
    unit_id: str | None = None
    unit_name: str | None = None
    jurisdiction: str | None = None


class Me(Account):
    """The signed-in caller's own account."""
