"""技术装备 (manual 5.6): an instrument or a piece of software on a unit's roster.

``new_equipment`` checks what the request Struct cannot: the 设备类型 is in the vocabulary of the
standard in force, the 出厂编号 is normalised (never merged with a different one), the dates make
sense on the evaluation day. The instrument counts only when complete on that day, which
includes a 检定/校准 valid then (completeness.equipment_problems).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar, cast

from contracts.documents.api import Purpose
from contracts.staffing import api, events

from .. import errors
from ..rules import normalise_serial
from .completeness import Attached, equipment_problems

__all__ = ["Equipment", "new_equipment"]

Told = TypeVar("Told", events.EquipmentAdded, events.EquipmentUpdated, events.EquipmentRemoved)


@dataclass(frozen=True, slots=True, kw_only=True)
class Equipment:
    """技术装备 as stored; ``serial`` is the normalised 出厂编号."""

    id: uuid.UUID
    unit_id: str
    type: str
    brand: str
    model: str
    serial: str
    purchased_on: dt.date
    calibration_valid_until: dt.date | None
    created_at: dt.datetime
    updated_at: dt.datetime

    @property
    def key(self) -> tuple[str, str]:
        """What makes an instrument one: (设备类型, normalised 出厂编号)."""
        return (self.type, self.serial)

    def problems(self, attached: Sequence[Attached], *, on: dt.date) -> list[api.Problem]:
        found = equipment_problems(
            equipment_type=self.type, calibration_valid_until=self.calibration_valid_until, attached=attached, on=on
        )
        return [api.Problem(code=p.code, message=p.message) for p in found]

    def as_api(self, attached: Sequence[Attached], *, on: dt.date) -> api.Equipment:
        problems = self.problems(attached, on=on)
        return api.Equipment(
            id=str(self.id),
            unit_id=self.unit_id,
            type=self.type,
            brand=self.brand,
            model=self.model,
            serial=self.serial,
            purchased_on=self.purchased_on,
            calibration_valid_until=self.calibration_valid_until,
            documents=[api.Attachment(purpose=cast(Purpose, a.purpose), document_id=a.document_id) for a in attached],
            complete=not problems,
            problems=problems,
            created_at=self.created_at,
            updated_at=self.updated_at,
        )

    def added(self) -> events.EquipmentAdded:
        return self._told(events.EquipmentAdded)

    def updated(self) -> events.EquipmentUpdated:
        return self._told(events.EquipmentUpdated)

    def removed(self) -> events.EquipmentRemoved:
        return self._told(events.EquipmentRemoved)

    def _told(self, kind: Callable[..., Told]) -> Told:
        return kind(
            aggregate_id=str(self.id), unit_id=self.unit_id, equipment_id=str(self.id), equipment_type=self.type
        )


def new_equipment(
    data: api.EquipmentCreate,
    *,
    unit_id: str,
    types: frozenset[str],
    on: dt.date,
    now: dt.datetime,
    replacing: Equipment | None = None,
) -> Equipment:
    """The instrument ``data`` describes, checked on ``on``. An edit (``replacing`` the stored one)
    keeps its id and creation time; a new one gets a fresh id, created ``now``."""
    equipment_type = data.type.strip()
    if equipment_type not in types:
        raise errors.UnknownVocabularyError("type", "设备类型", data.type)
    _check_dates(data, on)
    return Equipment(
        id=replacing.id if replacing else uuid.uuid4(),
        unit_id=unit_id,
        type=equipment_type,
        brand=_text(data.brand, "brand", "品牌"),
        model=_text(data.model, "model", "型号"),
        serial=_text(normalise_serial(data.serial), "serial", "出厂编号"),
        purchased_on=data.purchased_on,
        calibration_valid_until=data.calibration_valid_until,
        created_at=replacing.created_at if replacing else now,
        updated_at=now,
    )


def _check_dates(data: api.EquipmentCreate, on: dt.date) -> None:
    if data.purchased_on > on:
        raise errors.InvalidFieldError("purchased_on", "购置日期不能晚于今天，请核对后重新填写")
    until = data.calibration_valid_until
    if until is not None and until < data.purchased_on:
        raise errors.InvalidFieldError("calibration_valid_until", "检定/校准有效期至不能早于购置日期，请核对后重新填写")


def _text(value: str, field: str, label: str) -> str:
    """A required text without its surrounding blanks; only blanks is a missing value."""
    stripped = value.strip()
    if not stripped:
        raise errors.MissingFieldError(field, label)
    return stripped
