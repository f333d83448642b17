"""人员装备快照: a unit's roster frozen for an application revision, and how each reader sees it.

Pure. The content holds every person with the full 证件号码 (it is stored sealed); the owning unit
and the services read it masked, an authority covering the snapshot's jurisdiction in full.
Completeness is judged on the day the snapshot is taken.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import cast

import msgspec

from contracts.documents.api import Purpose
from contracts.staffing import api
from contracts.standards.api import HeldQualification

from .completeness import Attached, Problem
from .roster import (
    InstrumentEntry,
    ProjectEntry,
    Roster,
    StaffEntry,
    facts,
    instrument_problems,
    staff_problems,
    work_problems,
)

__all__ = [
    "InstrumentRecord",
    "PersonRecord",
    "RosterRecords",
    "SnapshotContent",
    "WorkRecord",
    "freeze",
    "masked",
]


class PersonRecord(msgspec.Struct, kw_only=True, frozen=True):
    """A row of ``persons`` (the number sealed; its keyed hash left out)."""

    id: uuid.UUID
    unit_id: str
    name: str
    id_type: str
    id_number_enc: bytes
    id_number_masked: str
    category: str
    gender: str | None
    birth_date: dt.date | None
    title_level: str | None
    title_name: str | None
    major: str | None
    education: str | None
    school: str | None
    retired: bool
    hired_on: dt.date | None
    substitute_reason: str | None
    source: str
    created_at: dt.datetime
    updated_at: dt.datetime


class InstrumentRecord(msgspec.Struct, kw_only=True, frozen=True):
    """A row of ``equipment``."""

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


class WorkRecord(msgspec.Struct, kw_only=True, frozen=True):
    """A row of ``projects`` (测绘业绩)."""

    id: uuid.UUID
    unit_id: str
    name: str
    category: str
    amount_wan: Decimal
    client: str
    signed_on: dt.date
    completed_on: dt.date
    created_at: dt.datetime
    updated_at: dt.datetime


@dataclass(frozen=True, slots=True)
class RosterRecords:
    """Everything of a unit's roster, each entry's attachments by its id, and the 资质 it holds."""

    persons: Sequence[PersonRecord] = ()
    instruments: Sequence[InstrumentRecord] = ()
    projects: Sequence[WorkRecord] = ()
    attached: Mapping[uuid.UUID, Sequence[Attached]] = field(default_factory=dict)
    held: Sequence[HeldQualification] = ()


class SnapshotContent(msgspec.Struct, kw_only=True):
    """What is sealed into ``snapshots.content``."""

    persons: list[api.Person]
    equipment: list[api.Equipment]
    projects: list[api.Project]
    document_ids: list[str]
    facts: api.Facts


def freeze(records: RosterRecords, *, on: dt.date, reveal: Callable[[bytes], str]) -> SnapshotContent:
    """The content of a snapshot taken on ``on``; ``reveal`` opens a sealed 证件号码."""
    roster = _roster(records)
    return SnapshotContent(
        persons=[
            _person(record, entry, id_number=reveal(record.id_number_enc))
            for record, entry in zip(records.persons, roster.staff, strict=True)
        ],
        equipment=[
            _instrument(record, entry, on=on)
            for record, entry in zip(records.instruments, roster.instruments, strict=True)
        ],
        projects=[_project(record, entry) for record, entry in zip(records.projects, roster.projects, strict=True)],
        document_ids=sorted({a.document_id for items in records.attached.values() for a in items if a.usable}),
        facts=facts(roster, on=on),
    )


def masked(content: SnapshotContent) -> SnapshotContent:
    """The same content without any full 证件号码 (the masked one stays)."""
    persons = [msgspec.structs.replace(person, id_number=None) for person in content.persons]
    return msgspec.structs.replace(content, persons=persons)


def _roster(records: RosterRecords) -> Roster:
    def attached(entry_id: uuid.UUID) -> Sequence[Attached]:
        return records.attached.get(entry_id, ())

    return Roster(
        staff=[
            StaffEntry(str(p.id), p.category, p.title_level, p.retired, p.substitute_reason, attached(p.id))
            for p in records.persons
        ],
        instruments=[
            InstrumentEntry(str(e.id), e.type, e.calibration_valid_until, attached(e.id)) for e in records.instruments
        ],
        projects=[
            ProjectEntry(str(w.id), w.category, w.amount_wan, w.completed_on, attached(w.id)) for w in records.projects
        ],
        held=records.held,
    )


def _documents(attached: Sequence[Attached]) -> list[api.Attachment]:
    return [api.Attachment(purpose=cast("Purpose", a.purpose), document_id=a.document_id) for a in attached]


def _problems(problems: Sequence[Problem]) -> list[api.Problem]:
    return [api.Problem(code=p.code, message=p.message) for p in problems]


def _person(record: PersonRecord, entry: StaffEntry, *, id_number: str | None) -> api.Person:
    problems = staff_problems(entry)
    return api.Person(
        id=entry.id,
        unit_id=record.unit_id,
        name=record.name,
        id_type=record.id_type,
        id_number_masked=record.id_number_masked,
        category=record.category,
        gender=record.gender,
        birth_date=record.birth_date,
        title_level=record.title_level,
        title_name=record.title_name,
        major=record.major,
        education=record.education,
        school=record.school,
        retired=record.retired,
        hired_on=record.hired_on,
        substitute_reason=record.substitute_reason,
        documents=_documents(entry.attached),
        source=record.source,
        complete=not problems,
        problems=_problems(problems),
        created_at=record.created_at,
        updated_at=record.updated_at,
        id_number=id_number,
    )


def _instrument(record: InstrumentRecord, entry: InstrumentEntry, *, on: dt.date) -> api.Equipment:
    problems = instrument_problems(entry, on=on)
    return api.Equipment(
        id=entry.id,
        unit_id=record.unit_id,
        type=record.type,
        brand=record.brand,
        model=record.model,
        serial=record.serial,
        purchased_on=record.purchased_on,
        calibration_valid_until=record.calibration_valid_until,
        documents=_documents(entry.attached),
        complete=not problems,
        problems=_problems(problems),
        created_at=record.created_at,
        updated_at=record.updated_at,
    )


def _project(record: WorkRecord, entry: ProjectEntry) -> api.Project:
    problems = work_problems(entry)
    return api.Project(
        id=entry.id,
        unit_id=record.unit_id,
        name=record.name,
        category=record.category,
        amount_wan=f"{record.amount_wan:.2f}",
        client=record.client,
        signed_on=record.signed_on,
        completed_on=record.completed_on,
        documents=_documents(entry.attached),
        complete=not problems,
        problems=_problems(problems),
        created_at=record.created_at,
        updated_at=record.updated_at,
    )
