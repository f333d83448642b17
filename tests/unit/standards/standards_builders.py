"""Builders for standards tests: staff, instruments, 业绩 and requests that just meet a level."""

from __future__ import annotations

import datetime
import functools
import itertools
from collections.abc import Iterable, Mapping
from typing import Any

from contracts.standards.api import (
    EquipmentHolding,
    EvaluateRequest,
    Evaluation,
    HeldQualification,
    LevelRequest,
    ProjectRecord,
    StaffMember,
)
from services.standards.catalog import Catalog
from services.standards.evaluation import evaluate
from services.standards.evaluation.compiled import CompiledLevel, CompiledStandard, PerformanceCheck, StaffCheck
from services.standards.settings import DEFAULT_DATA_DIR

DAY = datetime.date(2026, 11, 24)
_ids = itertools.count()


@functools.cache
def catalog() -> Catalog:
    return Catalog.from_dir(DEFAULT_DATA_DIR)


def standard() -> CompiledStandard:
    return catalog().compiled("2021")


def person(*, major: str = "测绘", title: str | None = "高级", countable: bool = True) -> StaffMember:
    return StaffMember(id=f"p{next(_ids)}", major=major, title=title, countable=countable)  # type: ignore[arg-type]


def staff(
    senior: int = 0, intermediate: int = 0, junior: int = 0, related: int = 0, untitled: int = 0
) -> list[StaffMember]:
    """Countable people: 测绘 高级/中级/初级, 相关, and 测绘 without a 职称."""
    return (
        [person(title="高级") for _ in range(senior)]
        + [person(title="中级") for _ in range(intermediate)]
        + [person(title="初级") for _ in range(junior)]
        + [person(major="相关", title=None) for _ in range(related)]
        + [person(title=None) for _ in range(untitled)]
    )


def instruments(counts: Mapping[str, int], *, countable: bool = True) -> list[EquipmentHolding]:
    return [EquipmentHolding(type=name, count=n, countable=countable) for name, n in counts.items()]


def held(category: str, since: datetime.date, level: str = "乙级") -> HeldQualification:
    return HeldQualification(category=category, level=level, since=since)


def project(category: str, amount: float, completed_on: datetime.date = DAY) -> ProjectRecord:
    return ProjectRecord(category=category, amount_wan=amount, completed_on=completed_on)


def a_request(
    *wanted: tuple[str, str],
    day: datetime.date = DAY,
    version: str | None = None,
    staff: Iterable[StaffMember] = (),
    equipment: Iterable[EquipmentHolding] = (),
    held: Iterable[HeldQualification] = (),
    projects: Iterable[ProjectRecord] = (),
) -> EvaluateRequest:
    return EvaluateRequest(
        application_date=day,
        version=version,
        requests=[LevelRequest(category=category, level=level) for category, level in wanted],
        staff=list(staff),
        equipment=list(equipment),
        held=list(held),
        projects=list(projects),
    )


def run(request: EvaluateRequest) -> Evaluation:
    return evaluate(catalog(), request)


def statuses(request: EvaluateRequest, index: int = 0) -> dict[str, str]:
    """Requirement id → status of one result."""
    return {item.id: item.status for item in run(request).results[index].requirements}


def just_enough(category: str, level: str) -> dict[str, Any]:
    """Facts that exactly meet every encoded requirement of ``category``/``level`` (first alternatives)."""
    entry = standard().table[category, level]
    assert isinstance(entry, CompiledLevel)
    facts: dict[str, Any] = {"staff": [], "equipment": [], "held": [], "projects": []}
    if isinstance(entry.staff, StaffCheck):
        senior, upto_mid, upto_junior, total = entry.staff.required
        facts["staff"] = staff(senior, upto_mid - senior, upto_junior - upto_mid, total - upto_junior)
    if isinstance(entry.equipment, tuple):
        needed = {item.alternatives[0].types[0]: item.alternatives[0].minimum for item in entry.equipment}
        facts["equipment"] = instruments(needed)
    if isinstance(entry.performance, PerformanceCheck):
        facts["held"] = [held(category, datetime.date(DAY.year - 2, DAY.month, DAY.day))]
        facts["projects"] = [project(category, 600)]
    return facts
