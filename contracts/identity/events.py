"""Events identity emits on ``qual.identity.*``."""

from __future__ import annotations

from contracts.base import Event


class UnitAccountRegistered(Event, frozen=True, tag="identity.unit_account_registered.v1"):
    """单位注册: a unit registered an account (manual 3.3). ``aggregate_id`` is the unit id."""

    account_id: str
    unit_id: str
    username: str
    unit_name: str
    credit_code: str
    contact_name: str
    mobile: str
