"""Unit (法人单位) and Account (用户账户): registration (manual 3.3) and login outcomes (3.1)."""

from __future__ import annotations

import enum
import uuid
from dataclasses import dataclass
from datetime import datetime

from contracts.identity import api, events

from . import errors, rules

__all__ = ["Account", "Lockout", "LoginReason", "Registration", "Unit", "check_registration", "register"]


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
