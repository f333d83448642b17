"""Authority and administrator accounts as 系统管理 lists and disables them."""

from __future__ import annotations

import uuid
from typing import Any

from contracts.identity import api
from services.kernel.db import Connection

__all__ = ["AuthorityAccounts"]

_COLUMNS = "id, username, role, org_name, jurisdiction, roles, created_at, disabled_at"
_MANAGED = "role IN ('authority', 'admin')"


def _iso(value: Any) -> str | None:
    return None if value is None else value.isoformat()


def _to_authority(row: Any) -> api.AuthorityAccount:
    return api.AuthorityAccount(
        account_id=str(row["id"]),
        username=row["username"],
        role=row["role"],
        org_name=row["org_name"],
        jurisdiction=row["jurisdiction"],
        roles=list(row["roles"]),
        created_at=_iso(row["created_at"]),
        disabled_at=_iso(row["disabled_at"]),
    )


class AuthorityAccounts:
    _PAGE = f"""
    SELECT {_COLUMNS}, count(*) OVER () AS total FROM accounts
    WHERE {_MANAGED}
    ORDER BY created_at DESC, id
    LIMIT $1 OFFSET $2"""
    _COUNT = f"SELECT count(*) FROM accounts WHERE {_MANAGED}"
    _GET = f"SELECT {_COLUMNS} FROM accounts WHERE id = $1 AND role = 'authority'"
    _EXISTS = "SELECT EXISTS (SELECT 1 FROM accounts WHERE lower(username) = lower($1))"
    # Only the first 停用 counts (idempotent); the RETURNING row says whether this call disabled it.
    _DISABLE = f"""
    UPDATE accounts SET disabled_at = now()
    WHERE id = $1 AND role = 'authority' AND disabled_at IS NULL
    RETURNING {_COLUMNS}"""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    async def page(self, *, page: int, page_size: int) -> api.AuthorityAccountPage:
        rows = await self._conn.fetch(self._PAGE, page_size, (page - 1) * page_size)
        total = rows[0]["total"] if rows else await self._conn.fetchval(self._COUNT)
        items = [_to_authority(row) for row in rows]
        return api.AuthorityAccountPage(items=items, page=page, page_size=page_size, total=int(total))

    async def get(self, account_id: uuid.UUID) -> api.AuthorityAccount | None:
        row = await self._conn.fetchrow(self._GET, account_id)
        return None if row is None else _to_authority(row)

    async def username_exists(self, username: str) -> bool:
        return bool(await self._conn.fetchval(self._EXISTS, username))

    async def disable(self, account_id: uuid.UUID) -> api.AuthorityAccount | None:
        """The account as this call disabled it; None when it was already disabled (or is no authority)."""
        row = await self._conn.fetchrow(self._DISABLE, account_id)
        return None if row is None else _to_authority(row)
