"""审批记录 (manual 4.4): one entry per 提交 and per transition — who, in which role, what, when,
with which opinion, reasons, attachments and notice. Entries are only ever appended."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

from contracts.auth import Caller

from .workflow import Action

__all__ = ["RETURN", "Entry", "acting_role", "actor_name"]

RETURN = "return"
"""退回补齐's action code; its entry's ``details["pages"]`` lists the pages concerned (comma-separated)."""


@dataclass(frozen=True, slots=True)
class Entry:
    """One entry of the record, as appended (``id`` and ``recorded_at`` come from the database)."""

    application_id: str
    revision: int
    action: str
    from_state: str
    to_state: str
    actor_account: str
    actor_name: str
    actor_role: str
    authority_name: str | None = None
    opinion: str | None = None
    reasons: tuple[str, ...] = ()
    attachments: tuple[str, ...] = ()
    notice: str | None = None
    details: Mapping[str, str] = field(default_factory=dict)
    id: int | None = None
    recorded_at: dt.datetime | None = None

    @property
    def pages(self) -> tuple[str, ...]:
        """退回补齐: the keys of the pages the notice concerns."""
        return tuple(key for key in self.details.get("pages", "").split(",") if key)


def acting_role(caller: Caller, action: Action) -> str:
    """The role the caller acted in: the action's own (an account may hold several), ``unit`` for
    a unit, ``system`` for the platform; 领取 names the first of the caller's roles."""
    if caller.role in ("unit", "system"):
        return caller.role
    if action.role in caller.roles:
        return action.role
    return caller.roles[0] if caller.roles else caller.role


def actor_name(caller: Caller) -> str:
    """What the record shows as the actor: the username, else the account id."""
    return caller.username or caller.account_id
