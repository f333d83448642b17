"""The unit's facts, gathered once per request and checked against the version's vocabulary.

Counting rules (standards.md 3.1, manual 5.5–5.6): only ``countable`` people and instruments
count. A 测绘专业 person counts in the tier of their 职称 (高级/中级/初级). A 测绘相关专业
person never counts toward a 测绘 tier, only toward 总数. A 测绘专业 person without a 职称
(``title`` null) is likewise counted toward 总数 only: the reference recognises 测绘 tiers by
职称, while a 相关 person may be recognised by 学历, so such a person is not lost, just not
placed in any 测绘 tier.
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from contracts.errors import FieldProblem
from contracts.standards.api import (
    EquipmentHolding,
    EvaluateRequest,
    HeldQualification,
    LevelRequest,
    ProjectRecord,
    StaffMember,
)
from services.standards.errors import InvalidRequestError
from services.standards.evaluation.compiled import CENTS_PER_WAN, CompiledStandard

__all__ = ["Facts", "gather"]


@dataclass(slots=True)
class Facts:
    """Countable staff per tier, instruments per type, 乙级 held since, 业绩 per category (分)."""

    application_date: datetime.date
    staff: tuple[int, int, int, int]  # 高级, 中级, 初级, 其他 (相关 and 测绘 without 职称)
    equipment: dict[str, int]
    held: dict[tuple[str, str], datetime.date]
    projects: dict[str, list[tuple[datetime.date, int]]]


def gather(standard: CompiledStandard, request: EvaluateRequest) -> Facts:
    """Count the unit's facts; refuse terms the version does not define, naming each field."""
    problems: list[FieldProblem] = []
    _check_requests(standard, requests=request.requests, problems=problems)
    facts = Facts(
        application_date=request.application_date,
        staff=_count_staff(request.staff, problems),
        equipment=_count_equipment(standard, equipment=request.equipment, problems=problems),
        held=_held(standard, held=request.held, problems=problems),
        projects=_projects(standard, projects=request.projects, problems=problems),
    )
    if problems:
        raise InvalidRequestError(problems)
    return facts


def _check_requests(
    standard: CompiledStandard, *, requests: Sequence[LevelRequest], problems: list[FieldProblem]
) -> None:
    seen: set[tuple[str, str]] = set()
    for i, item in enumerate(requests):
        path = f"$.requests[{i}]"
        _check_term(standard, category=item.category, level=item.level, path=path, problems=problems)
        if (item.category, item.level) in seen:
            problems.append(FieldProblem(field=path, problem="重复申请同一专业类别和等级"))
        seen.add((item.category, item.level))


def _check_term(
    standard: CompiledStandard, *, category: str, level: str, path: str, problems: list[FieldProblem]
) -> None:
    if category not in standard.categories:
        problems.append(FieldProblem(field=f"{path}.category", problem=f"未知专业类别「{category}」"))
    if level not in standard.levels:
        problems.append(FieldProblem(field=f"{path}.level", problem=f"未知资质等级「{level}」"))


def _count_staff(staff: Sequence[StaffMember], problems: list[FieldProblem]) -> tuple[int, int, int, int]:
    if len({person.id for person in staff}) != len(staff):
        problems.extend(_duplicate_ids([person.id for person in staff]))
    # One list built in C, counted in C: a 测绘 person by 职称, everyone else (相关, or no 职称) as None.
    tiers = Counter([person.title if person.major == "测绘" else None for person in staff if person.countable])
    senior, intermediate, junior = tiers["高级"], tiers["中级"], tiers["初级"]
    return senior, intermediate, junior, tiers.total() - senior - intermediate - junior


def _duplicate_ids(ids: list[str]) -> list[FieldProblem]:
    seen: set[str] = set()
    problems = []
    for i, name in enumerate(ids):
        if name in seen:
            problems.append(FieldProblem(field=f"$.staff[{i}].id", problem=f"人员「{name}」重复"))
        seen.add(name)
    return problems


def _count_equipment(
    standard: CompiledStandard, *, equipment: Sequence[EquipmentHolding], problems: list[FieldProblem]
) -> dict[str, int]:
    counts: dict[str, int] = {}
    known = standard.equipment_types
    for i, item in enumerate(equipment):
        if item.type not in known:
            problems.append(FieldProblem(field=f"$.equipment[{i}].type", problem=f"未知设备类型「{item.type}」"))
        elif item.countable:
            counts[item.type] = counts.get(item.type, 0) + item.count
    return counts


def _held(
    standard: CompiledStandard, *, held: Sequence[HeldQualification], problems: list[FieldProblem]
) -> dict[tuple[str, str], datetime.date]:
    """Earliest ``since`` per (category, level)."""
    since: dict[tuple[str, str], datetime.date] = {}
    for i, item in enumerate(held):
        _check_term(standard, category=item.category, level=item.level, path=f"$.held[{i}]", problems=problems)
        key = (item.category, item.level)
        if key not in since or item.since < since[key]:
            since[key] = item.since
    return since


def _projects(
    standard: CompiledStandard, *, projects: Sequence[ProjectRecord], problems: list[FieldProblem]
) -> dict[str, list[tuple[datetime.date, int]]]:
    """Completion date and amount in 分 (exact sums) per category."""
    by_category: dict[str, list[tuple[datetime.date, int]]] = {}
    known = standard.categories
    for i, item in enumerate(projects):
        category = item.category
        if category not in known:
            problems.append(FieldProblem(field=f"$.projects[{i}].category", problem=f"未知专业类别「{category}」"))
            continue
        done = (item.completed_on, round(item.amount_wan * CENTS_PER_WAN))
        if category in by_category:
            by_category[category].append(done)
        else:
            by_category[category] = [done]
    return by_category
