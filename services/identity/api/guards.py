"""admin_only: the guard of 系统管理 — only the platform administrator (role ``admin``) passes."""

from __future__ import annotations

from typing import Any

from litestar.connection import ASGIConnection
from litestar.handlers import BaseRouteHandler

from services.kernel import caller_of

from .. import errors

__all__ = ["admin_only"]


async def admin_only(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
    """Guard: the administrator only; units, authorities and the platform itself get 403."""
    if caller_of(connection).role != "admin":
        raise errors.AdminOnlyError()
