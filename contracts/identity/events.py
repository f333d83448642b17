"""Events identity emits on ``qual.identity.*``."""

from __future__ import annotations

from contracts.base import Event


class UnitAccountRegistered(Event, frozen=True, tag="identity.unit_account_registered.v1"):
    """单位注册 (deprecated: superseded by ``UnitAccountRegisteredV2``, no longer emitted).

    Still decodable, for the events already in the stream. It carried the contact person's name
    and mobile, which no consumer reads; v2 leaves them out.
    """

    account_id: str
    unit_id: str
    username: str
    unit_name: str
    credit_code: str
    contact_name: str
    mobile: str


class UnitAccountRegisteredV2(Event, frozen=True, tag="identity.unit_account_registered.v2"):
    """单位注册: a unit registered an account (manual 3.3). ``aggregate_id`` is the unit id.

    No personal data: the contact person's name and mobile stay in identity.
    """

    account_id: str
    unit_id: str
    username: str
    unit_name: str
    credit_code: str


class UnitVerified(Event, frozen=True, kw_only=True, tag="identity.unit_verified.v1"):
    """单位已核实: the unit's 新单位注册 was approved, or its approved 基本信息变更 was applied.

    ``unit_name`` is the name now on record (a 新单位注册 may correct it, manual 3.3).
    ``aggregate_id`` is the unit id. The address and legal representative stay in identity.
    """

    unit_id: str
    unit_name: str
    credit_code: str
    application_id: str
