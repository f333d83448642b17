"""Identity's HTTP API as the gateway (and tests) call it.

Routes (all behind the internal token; ``system`` means the gateway acting for an anonymous
portal visitor, signed with role ``system``):
    POST /accounts                 RegisterRequest -> 201 Account          (system)
    POST /logins/password          PasswordLogin   -> 200 LoginResult      (system)
    GET  /me                       -> Me                                   (any signed-in caller)
    GET  /accounts/{account_id}    -> Account      (the caller's own account, or an authority/admin)
    POST /authority-accounts       AuthorityAccountCreate -> 201 AuthorityAccount   (admin)
    GET  /authority-accounts?page=&page_size=  -> AuthorityAccountPage              (admin)
    POST /authority-accounts/{account_id}/disable -> 200 AuthorityAccount (admin; idempotent)
"""

from __future__ import annotations

from typing import Annotated, Literal

import msgspec

from contracts.auth import AuthorityRole
from contracts.base import Request, Response
from contracts.divisions import NATIONAL, PROVINCES
from contracts.types import ClientIp, CreditCode, DivisionCode, Mobile, Password, ShortText, UnitName, Username

NATIONAL_JURISDICTION = NATIONAL
"""自然资源部: the whole country."""

AUTHORITY_JURISDICTIONS: dict[str, str] = {NATIONAL_JURISDICTION: "自然资源部", **PROVINCES}
"""The jurisdictions an authority account may have: 自然资源部 and the 31 provinces (GB/T 2260)."""

AUTHORITY_ROLE_NAMES: dict[AuthorityRole, str] = {"acceptance": "受理", "review": "审查", "approval": "审批"}
"""Each authority role and its Chinese name, in workflow order."""


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
    roles: list[AuthorityRole] = msgspec.field(default_factory=list)
    org_name: str | None = None
    registered_address: str | None = None
    """注册地址 on record (set when an approved 新单位注册 or 基本信息变更 states it)."""
    legal_representative: str | None = None
    verified: bool = False
    """单位已核实: the unit's 新单位注册 has been approved."""


class LoginResult(Response):
    """What the gateway puts in the new session."""

    account_id: str
    username: str
    role: Literal["unit", "authority", "admin"]
    unit_id: str | None = None
    unit_name: str | None = None
    jurisdiction: str | None = None
    roles: list[AuthorityRole] = msgspec.field(default_factory=list)
    org_name: str | None = None


class Me(Account):
    """The signed-in caller's own account."""


class AuthorityAccountCreate(Request):
    """新建主管部门账户 (系统管理): 用户名, 密码, 机关名称, 管辖区域, 角色 (受理, 审查, 审批; one or more).

    ``jurisdiction`` must be a key of ``AUTHORITY_JURISDICTIONS``; the password follows the same
    rule as 注册.
    """

    username: Username
    password: Password
    org_name: ShortText
    jurisdiction: DivisionCode
    roles: Annotated[list[AuthorityRole], msgspec.Meta(min_length=1, max_length=3)]


class AuthorityAccount(Response):
    """An authority (or administrator) account as the administrator sees it."""

    account_id: str
    username: str
    role: Literal["authority", "admin"]
    org_name: str | None = None
    jurisdiction: str | None = None
    roles: list[AuthorityRole] = msgspec.field(default_factory=list)
    created_at: str | None = None
    disabled_at: str | None = None
    """When it was 停用; None while it is active."""


class AuthorityAccountPage(Response):
    """One page of the authority and administrator accounts, newest first."""

    items: list[AuthorityAccount]
    page: int
    page_size: int
    total: int
