"""ErrorBody: the one error shape every service and the gateway speak."""

from __future__ import annotations

from typing import Any

import msgspec


class FieldProblem(msgspec.Struct, kw_only=True):
    """One invalid field: a JSON path (``$.unit_name``) and what is wrong with it."""

    field: str
    problem: str


class ErrorBody(msgspec.Struct, kw_only=True):
    """``{"code": "...", "message": "...", "details": ...}``; ``message`` is Chinese for users."""

    code: str
    message: str
    details: Any = None
