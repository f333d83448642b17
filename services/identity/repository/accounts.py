"""Accounts (用户账户): insert, read as their owner sees them, and the login bookkeeping."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from contracts.identity import api
from services.kernel.db import Connection

from .. import model

__all__ = ["Accounts", "Credentials", "parse_id"]


def parse_id(text: str) -> uuid.UUID | None:
    """An account/unit id from a path or token; anything that is not a UUID names no row."""
    try:
        return uuid.UUID(text)
    except ValueError:
        return None


@dataclass(frozen=True, kw_only=True)
class Credentials:
    """What a password login needs to know about an account."""

    result: api.LoginResult
    password_hash: str
    lock_minutes_left: int
    disabled: bool = False

    @property
    def account_id(self) -> uuid.UUID:
        return uuid.UUID(self.result.account_id)


_ACCOUNT_COLUMNS = """
    a.id, a.username, a.role, a.unit_id, a.jurisdiction, a.created_at, a.roles, a.org_name,
    u.name AS unit_name, u.credit_code, u.contact_name, u.mobile, u.registered_address,
    u.legal_representative, u.verified_at IS NOT NULL AS verified
    FROM accounts a LEFT JOIN units u ON u.id = a.unit_id"""


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def _to_account(row: Any) -> api.Account:
    return api.Account(
        account_id=str(row["id"]),
        username=row["username"],
        role=row["role"],
        unit_id=_text(row["unit_id"]),
        unit_name=row["unit_name"],
        credit_code=row["credit_code"],
        contact_name=row["contact_name"],
        mobile=row["mobile"],
        jurisdiction=row["jurisdiction"],
        created_at=row["created_at"].isoformat(),
        roles=list(row["roles"]),
        org_name=row["org_name"],
        registered_address=row["registered_address"],
        legal_representative=row["legal_representative"],
        verified=bool(row["verified"]),
    )


class Accounts:
    _INSERT = """
    INSERT INTO accounts (id, username, password_hash, role, unit_id, jurisdiction, roles, org_name)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
    ON CONFLICT DO NOTHING
    RETURNING created_at"""
    _GET = f"SELECT {_ACCOUNT_COLUMNS} WHERE a.id = $1 AND ($2::uuid IS NULL OR a.id = $2)"
    _LOCK_LEFT = """CASE WHEN locked_until > now()
        THEN ceil(extract(epoch FROM locked_until - now()) / 60)::int ELSE 0 END"""
    _CREDENTIALS = f"""
    SELECT a.id, a.username, a.role, a.unit_id, a.jurisdiction, a.roles, a.org_name, a.password_hash,
           a.disabled_at IS NOT NULL AS disabled, u.name AS unit_name, {_LOCK_LEFT} AS lock_minutes_left
    FROM accounts a LEFT JOIN units u ON u.id = a.unit_id
    WHERE lower(a.username) = lower($1)"""
    _LOCK_MINUTES = f"SELECT {_LOCK_LEFT} FROM accounts WHERE id = $1"
    _UNLOCKED = "(locked_until IS NULL OR locked_until <= now())"
    _SUCCEED = f"""
    UPDATE accounts SET failed_logins = 0, locked_until = NULL, last_login_at = now()
    WHERE id = $1 AND {_UNLOCKED} AND disabled_at IS NULL
    RETURNING id"""
    _FAIL = f"""
    -- the locking failure resets the count: after the lock ends, the next run of failures counts from 0
    UPDATE accounts
    SET failed_logins = CASE WHEN failed_logins + 1 >= $2 THEN 0 ELSE failed_logins + 1 END,
        locked_until = CASE WHEN failed_logins + 1 >= $2 THEN now() + make_interval(mins => $3) END
    WHERE id = $1 AND {_UNLOCKED}
    RETURNING locked_until IS NOT NULL"""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    async def add(self, account: model.Account) -> datetime | None:
        """When the account was created; None when the username is taken (case-insensitively)."""
        args = (account.id, account.username, account.password_hash, account.role, account.unit_id)
        scope = (account.jurisdiction, list(account.roles), account.org_name)
        created_at: datetime | None = await self._conn.fetchval(self._INSERT, *args, *scope)
        return created_at

    async def get(self, account_id: uuid.UUID, *, only: uuid.UUID | None) -> api.Account | None:
        """The account, or None; with ``only`` set, None for every account but that one."""
        row = await self._conn.fetchrow(self._GET, account_id, only)
        return None if row is None else _to_account(row)

    async def credentials(self, username: str) -> Credentials | None:
        row = await self._conn.fetchrow(self._CREDENTIALS, username)
        if row is None:
            return None
        result = api.LoginResult(
            account_id=str(row["id"]),
            username=row["username"],
            role=row["role"],
            unit_id=_text(row["unit_id"]),
            unit_name=row["unit_name"],
            jurisdiction=row["jurisdiction"],
            roles=list(row["roles"]),
            org_name=row["org_name"],
        )
        hashed, minutes = row["password_hash"], row["lock_minutes_left"]
        return Credentials(result=result, password_hash=hashed, lock_minutes_left=minutes, disabled=row["disabled"])

    async def record_success(self, account_id: uuid.UUID) -> bool:
        """Reset the failure count; False (nothing changed) when the account is locked or disabled meanwhile."""
        return await self._conn.fetchval(self._SUCCEED, account_id) is not None

    async def record_failure(self, account_id: uuid.UUID, lockout: model.Lockout) -> bool | None:
        """Count one wrong password atomically: True when it locked the account, None if already locked."""
        return await self._conn.fetchval(self._FAIL, account_id, lockout.max_failures, lockout.minutes)

    async def lock_minutes_left(self, account_id: uuid.UUID) -> int:
        return int(await self._conn.fetchval(self._LOCK_MINUTES, account_id) or 0)
