"""Guards of identity's routes: the gateway's anonymous visitor (``system``) vs a signed-in account."""

from __future__ import annotations

from typing import Any

from litestar.connection import ASGIConnection
from litestar.handlers.base import BaseRouteHandler

from services.kernel.auth import caller_of

from .. import errors

__all__ = ["system_only", "user_only"]


def system_only(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
    """Only the gateway acting for an anonymous portal visitor (注册, 登录) passes."""
    if caller_of(connection).role != "system":
        raise errors.SystemOnlyError()


def user_only(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
    """Only a signed-in account (unit, authority, admin) passes; the anonymous visitor does not."""
    if caller_of(connection).role == "system":
        raise errors.UserOnlyError()
