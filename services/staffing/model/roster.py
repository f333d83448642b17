"""满足情况的依据: the countable facts of a unit's roster, as the standards service takes them.

Pure. A 技术人员 counts when complete (manual 5.5.2); 测绘专业技术人员 count in the tier of their
职称等级, 相关专业技术人员 toward the total only, and 非专业技术人员 are not sent at all. A 技术装备
counts when complete on the evaluation date, which includes a 检定/校准 valid on that day; each
设备类型 is sent as one countable holding and one holding of the rest. A 测绘业绩 counts when its
项目合同 and 验收证明 are attached.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import cast

from contracts.staffing import api
from contracts.standards.api import EquipmentHolding, HeldQualification, Major, ProjectRecord, StaffMember, Title

from .completeness import Attached, Problem, equipment_problems, person_problems, project_problems

__all__ = [
    "InstrumentEntry",
    "ProjectEntry",
    "Roster",
    "StaffEntry",
    "equipment_holdings",
    "facts",
    "instrument_problems",
    "project_records",
    "staff_members",
    "staff_problems",
    "work_problems",
]

_MAJORS: dict[str, Major] = {"测绘专业技术人员": "测绘", "相关专业技术人员": "相关"}
"""人员类别 → the major the standard counts; 非专业技术人员 are not counted at all."""


@dataclass(frozen=True, slots=True)
class StaffEntry:
    """技术人员 as far as counting goes."""

    id: str
    category: str
    title_level: str | None
    retired: bool
    substitute_reason: str | None
    attached: Sequence[Attached] = ()


@dataclass(frozen=True, slots=True)
class InstrumentEntry:
    """技术装备 as far as counting goes."""

    id: str
    type: str
    calibration_valid_until: dt.date | None
    attached: Sequence[Attached] = ()


@dataclass(frozen=True, slots=True)
class ProjectEntry:
    """测绘业绩 as far as counting goes; ``amount_wan`` in 万元."""

    id: str
    category: str
    amount_wan: Decimal
    completed_on: dt.date
    attached: Sequence[Attached] = ()


@dataclass(frozen=True, slots=True)
class Roster:
    """A unit's roster and the 资质 it holds (the registry's certificates, replicated)."""

    staff: Sequence[StaffEntry] = ()
    instruments: Sequence[InstrumentEntry] = ()
    projects: Sequence[ProjectEntry] = ()
    held: Sequence[HeldQualification] = ()


def staff_problems(entry: StaffEntry) -> list[Problem]:
    return person_problems(
        category=entry.category,
        retired=entry.retired,
        substitute_reason=entry.substitute_reason,
        attached=entry.attached,
    )


def instrument_problems(entry: InstrumentEntry, *, on: dt.date) -> list[Problem]:
    return equipment_problems(
        equipment_type=entry.type,
        calibration_valid_until=entry.calibration_valid_until,
        attached=entry.attached,
        on=on,
    )


def work_problems(entry: ProjectEntry) -> list[Problem]:
    return project_problems(attached=entry.attached)


def staff_members(staff: Iterable[StaffEntry]) -> list[StaffMember]:
    """Every 专业技术人员, countable when complete; 非专业技术人员 are left out.

    Completeness depends only on the 人员类别, 退休, 替代理由 and which purposes are attached
    usable or not (not on which document it is); most persons of a roster share one such case,
    so each case is judged once."""
    judged: dict[tuple[object, ...], bool] = {}
    members = []
    for entry in staff:
        major = _MAJORS.get(entry.category)
        if major is None:
            continue
        attached = frozenset((a.purpose, a.usable) for a in entry.attached)
        case = (entry.category, entry.retired, entry.substitute_reason, attached)
        countable = judged.get(case)
        if countable is None:
            countable = judged[case] = not staff_problems(entry)
        title = cast("Title | None", entry.title_level) if major == "测绘" else None
        members.append(StaffMember(id=entry.id, major=major, title=title, countable=countable))
    return members


def equipment_holdings(instruments: Iterable[InstrumentEntry], *, on: dt.date) -> list[EquipmentHolding]:
    """Per 设备类型 (in name order): the countable instruments, then the others, when there are any."""
    counts: dict[tuple[str, bool], int] = {}
    for entry in instruments:
        key = (entry.type, not instrument_problems(entry, on=on))
        counts[key] = counts.get(key, 0) + 1
    return [
        EquipmentHolding(type=kind, count=count, countable=countable)
        for (kind, countable), count in sorted(counts.items(), key=lambda item: (item[0][0], not item[0][1]))
    ]


def project_records(projects: Iterable[ProjectEntry]) -> list[ProjectRecord]:
    """The complete 测绘业绩 only."""
    return [
        ProjectRecord(category=entry.category, amount_wan=float(entry.amount_wan), completed_on=entry.completed_on)
        for entry in projects
        if not work_problems(entry)
    ]


def facts(roster: Roster, *, on: dt.date) -> api.Facts:
    """What the standards service is told about the unit on ``on``."""
    return api.Facts(
        staff=staff_members(roster.staff),
        equipment=equipment_holdings(roster.instruments, on=on),
        held=list(roster.held),
        projects=project_records(roster.projects),
    )
