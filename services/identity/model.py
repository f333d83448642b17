"""Unit (法人单位) and Account (用户账户): registration (manual 3.3), login outcomes (3.1),
authority accounts (主管部门账户, 系统管理) and what an approval changes about a unit."""

from __future__ import annotations

import enum
import uuid
from dataclasses import dataclass
from datetime import datetime

from contracts.applications.events import ApplicationApproved
from contracts.auth import AuthorityRole
from contracts.identity import api, events

from . import errors, rules

__all__ = [
    "ADMIN_ORG_NAME",
    "ADMIN_USERNAME",
    "Account",
    "Lockout",
    "LoginReason",
    "ParticularsChange",
    "Registration",
    "Unit",
    "administrator",
    "authority_account",
    "check_authority_account",
    "check_registration",
    "particulars_change",
    "register",
]

ADMIN_USERNAME = "admin"
ADMIN_ORG_NAME = "自然资源部"


@dataclass(frozen=True, kw_only=True)
class Unit:
    """法人单位 as registered: name (and its comparison key), 统一社会信用代码, contact."""

    id: uuid.UUID
    name: str
    name_key: str
    credit_code: str
    contact_name: str
    mobile: str


@dataclass(frozen=True, kw_only=True)
class Account:
    """用户账户: signs in with username and password; a unit account belongs to one unit."""

    id: uuid.UUID
    username: str
    password_hash: str
    role: str
    unit_id: uuid.UUID | None
    jurisdiction: str | None = None
    roles: tuple[AuthorityRole, ...] = ()
    org_name: str | None = None


@dataclass(frozen=True, kw_only=True)
class Registration:
    """What one 注册 creates: the unit, its first account, and the event telling the others."""

    unit: Unit
    account: Account
    event: events.UnitAccountRegisteredV2

    def as_account(self, created_at: datetime) -> api.Account:
        """The new account as its owner sees it."""
        unit, account = self.unit, self.account
        return api.Account(
            account_id=str(account.id),
            username=account.username,
            role="unit",
            unit_id=str(unit.id),
            unit_name=unit.name,
            credit_code=unit.credit_code,
            contact_name=unit.contact_name,
            mobile=unit.mobile,
            created_at=created_at.isoformat(),
        )


@dataclass(frozen=True, kw_only=True)
class Lockout:
    """Lock an account for ``minutes`` after ``max_failures`` wrong passwords in a row."""

    max_failures: int
    minutes: int


class LoginReason(enum.Enum):
    """The outcome of one 账户登录 attempt, as written to the login audit."""

    OK = "ok"
    UNKNOWN_USERNAME = "unknown_username"
    WRONG_PASSWORD = "wrong_password"
    LOCKED_NOW = "locked_now"
    LOCKED = "locked"
    DISABLED = "disabled"


def check_registration(request: api.RegisterRequest) -> None:
    """Refuse a 注册 form that breaks a rule no database row decides."""
    for field in ("unit_name", "contact_name"):
        if not getattr(request, field).strip():
            raise errors.BlankFieldError(field)
    problem = rules.credit_code_problem(request.credit_code)
    if problem is not None:
        raise errors.InvalidCreditCodeError(problem)
    if not rules.password_is_strong(request.password):
        raise errors.WeakPasswordError()
    if request.password_confirm != request.password:
        raise errors.PasswordMismatchError()


def register(request: api.RegisterRequest, *, password_hash: str) -> Registration:
    """A new unit with its first (``unit``-role) account, recording UnitAccountRegisteredV2."""
    name = request.unit_name.strip()
    unit = Unit(
        id=uuid.uuid4(),
        name=name,
        name_key=rules.unit_name_key(name),
        credit_code=request.credit_code,
        contact_name=request.contact_name.strip(),
        mobile=request.mobile,
    )
    account = Account(
        id=uuid.uuid4(), username=request.username, password_hash=password_hash, role="unit", unit_id=unit.id
    )
    event = events.UnitAccountRegisteredV2(  # no contact name or mobile: personal data stays here
        aggregate_id=str(unit.id),
        account_id=str(account.id),
        unit_id=str(unit.id),
        username=account.username,
        unit_name=unit.name,
        credit_code=unit.credit_code,
    )
    return Registration(unit=unit, account=account, event=event)


def check_authority_account(request: api.AuthorityAccountCreate) -> None:
    """Refuse a 新建主管部门账户 form that breaks a rule no database row decides."""
    if not request.org_name.strip():
        raise errors.BlankFieldError("org_name")
    if not rules.is_authority_jurisdiction(request.jurisdiction):
        raise errors.InvalidJurisdictionError()
    if not rules.password_is_strong(request.password):
        raise errors.WeakPasswordError()


def authority_account(request: api.AuthorityAccountCreate, *, password_hash: str) -> Account:
    """A new 主管部门账户: its jurisdiction, its distinct roles in workflow order, its 机关名称."""
    return Account(
        id=uuid.uuid4(),
        username=request.username,
        password_hash=password_hash,
        role="authority",
        unit_id=None,
        jurisdiction=request.jurisdiction,
        roles=tuple(rules.canonical_roles(request.roles)),
        org_name=request.org_name.strip(),
    )


def administrator(*, password_hash: str) -> Account:
    """The platform administrator (系统管理员) of 自然资源部: username ``admin``, the whole country."""
    return Account(
        id=uuid.uuid4(),
        username=ADMIN_USERNAME,
        password_hash=password_hash,
        role="admin",
        unit_id=None,
        jurisdiction=api.NATIONAL_JURISDICTION,
        org_name=ADMIN_ORG_NAME,
    )


@dataclass(frozen=True, kw_only=True)
class ParticularsChange:
    """What an approved application sets on its unit; None leaves a particular as it is."""

    unit_id: uuid.UUID
    application_id: uuid.UUID
    name: str | None = None
    registered_address: str | None = None
    legal_representative: str | None = None
    verify: bool = False
    """新单位注册: the unit becomes 已核实."""

    @property
    def name_key(self) -> str | None:
        return None if self.name is None else rules.unit_name_key(self.name)


_CHANGED_PARTICULARS = ("unit_name", "registered_address", "legal_representative")


def particulars_change(event: ApplicationApproved) -> ParticularsChange | None:
    """The change an approval makes to its unit: 新单位注册 verifies it with the page's particulars,
    基本信息变更 applies the approved changes; None for other types (or ids that are not UUIDs)."""
    try:
        unit_id, application_id = uuid.UUID(event.unit_id), uuid.UUID(event.application_id)
    except ValueError:
        return None
    if event.application_type == "新单位注册":
        unit = event.unit
        return ParticularsChange(
            unit_id=unit_id,
            application_id=application_id,
            name=_text(unit.unit_name) if unit else None,
            registered_address=_text(unit.registered_address) if unit else None,
            legal_representative=_text(unit.legal_representative) if unit else None,
            verify=True,
        )
    if event.application_type == "基本信息变更":
        changes = {key: _text(event.changes.get(key)) for key in _CHANGED_PARTICULARS}
        return ParticularsChange(
            unit_id=unit_id,
            application_id=application_id,
            name=changes["unit_name"],
            registered_address=changes["registered_address"],
            legal_representative=changes["legal_representative"],
        )
    return None


def _text(value: str | None) -> str | None:
    """A particular as stored: trimmed; blank means "not stated"."""
    stripped = (value or "").strip()
    return stripped or None
