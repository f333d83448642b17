"""The login audit (账户登录) and the account audit (who created or disabled which account)."""

from __future__ import annotations

import uuid
from typing import Literal

from services.kernel.db import Connection

from .. import model

__all__ = ["AccountAudit", "LoginAudit"]


class LoginAudit:
    _INSERT = """
    INSERT INTO login_audit (account_id, username, client_ip, success, reason)
    VALUES ($1, $2, $3, $4, $5)"""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    async def record(
        self, account_id: uuid.UUID | None, *, username: str, client_ip: str, reason: model.LoginReason
    ) -> None:
        success = reason is model.LoginReason.OK
        await self._conn.execute(self._INSERT, account_id, username, client_ip[:64], success, reason.value)


class AccountAudit:
    _INSERT = "INSERT INTO account_audit (account_id, action, actor) VALUES ($1, $2, $3)"

    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    async def record(self, account_id: uuid.UUID, *, action: Literal["created", "disabled"], actor: str) -> None:
        """``actor``: the administrator's account id, or ``cli`` for the command line."""
        await self._conn.execute(self._INSERT, account_id, action, actor)
