"""The standard precompiled at load for fast evaluation: plain tuples and prebuilt requirements.

Figures the engine cannot evaluate (MISSING, or set to none) become ready-made ``Requirement``
objects shared by every evaluation; they are never mutated.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Literal

from contracts.standards.api import CategoryResult, Requirement
from services.standards.evaluation import messages
from services.standards.model import (
    CategoryStandard,
    EquipmentFigure,
    EquipmentItem,
    Grade,
    LevelStandard,
    PerformanceFigure,
    PerformanceRule,
    StandardFile,
)

__all__ = [
    "Alternative",
    "CompiledLevel",
    "CompiledStandard",
    "EquipmentCheck",
    "PerformanceCheck",
    "StaffCheck",
    "compile_standard",
]

Kind = Literal["level", "staff", "equipment", "performance"]
Status = Literal["pass", "fail", "incomplete"]
CENTS_PER_WAN = 1_000_000  # 1 万元 = 10,000 元 = 1,000,000 分: amounts are summed exactly in 分


@dataclass(frozen=True, slots=True)
class Provenance:
    """Grade and sources of a figure, copied into each requirement it yields."""

    grade: Grade
    sources: tuple[str, ...]

    @property
    def verified(self) -> bool:
        return self.grade == "OFFICIAL"


@dataclass(frozen=True, slots=True)
class StaffCheck:
    """专业技术人员 thresholds, cumulative for 冲抵: ``(H, H+M, H+M+J, 总数)``."""

    required: tuple[int, int, int, int]
    provenance: Provenance


@dataclass(frozen=True, slots=True)
class Alternative:
    """A ``sum_of`` group: the listed types counted together reach ``minimum``."""

    types: tuple[str, ...]
    label: str
    minimum: int
    unit: str


@dataclass(frozen=True, slots=True)
class EquipmentCheck:
    """One equipment item; it passes when any of its alternatives does."""

    id: str
    alternatives: tuple[Alternative, ...]
    provenance: Provenance


@dataclass(frozen=True, slots=True)
class PerformanceCheck:
    """甲级 测绘业绩 for one category (amounts in 分, periods in months)."""

    category: str
    prerequisite_level: str
    prerequisite_years: int
    window_years: int
    min_total_wan: float
    min_single_wan: float
    min_total_cents: int
    min_single_cents: int
    provenance: Provenance


Static = Requirement
StaffPart = StaffCheck | Static
EquipmentPart = tuple[EquipmentCheck, ...] | Static
PerformancePart = PerformanceCheck | Static


@dataclass(frozen=True, slots=True)
class CompiledLevel:
    category: str
    level: str
    staff: StaffPart
    equipment: EquipmentPart
    performance: PerformancePart


@dataclass(frozen=True, slots=True)
class CompiledStandard:
    """One version, ready to evaluate: vocabulary sets and ``(category, level)`` → level or verdict."""

    version: str
    effective_from: datetime.date
    categories: frozenset[str]
    levels: frozenset[str]
    equipment_types: frozenset[str]
    table: dict[tuple[str, str], CompiledLevel | CategoryResult]


def compile_standard(data: StandardFile) -> CompiledStandard:
    rules = {rule.id: rule for rule in data.performance_rules}
    table: dict[tuple[str, str], CompiledLevel | CategoryResult] = {}
    for standard in data.standards:
        for level in standard.levels:
            table[standard.category, level.level] = _compile_level(standard.category, level=level, rules=rules)
        for gap in standard.unavailable:
            table[standard.category, gap.level] = _unavailable(standard, gap.level)
    return CompiledStandard(
        version=data.version,
        effective_from=data.effective_from,
        categories=frozenset(data.categories),
        levels=frozenset(data.levels),
        equipment_types=frozenset(data.equipment_types),
        table=table,
    )


def _static(kind: Kind, *, status: Status, message: str, provenance: Provenance, id: str) -> Requirement:
    return Requirement(
        id=id,
        kind=kind,
        status=status,
        required=None,
        actual=None,
        unit="",
        message=message,
        grade=provenance.grade,
        verified=provenance.verified,
        sources=provenance.sources,
    )


def _missing(category: str, *, level: str, kind: Kind, what: str) -> Requirement:
    message = messages.missing(category, level=level, what=what)
    return _static(kind, status="incomplete", message=message, provenance=Provenance("MISSING", ()), id=kind)


def _compile_level(category: str, *, level: LevelStandard, rules: dict[str, PerformanceRule]) -> CompiledLevel:
    return CompiledLevel(
        category=category,
        level=level.level,
        staff=_compile_staff(category, level),
        equipment=_compile_equipment(category, level=level.level, figure=level.equipment),
        performance=_compile_performance(category, level=level.level, figure=level.performance, rules=rules),
    )


def _compile_staff(category: str, level: LevelStandard) -> StaffPart:
    figure = level.personnel
    provenance = Provenance(figure.grade, figure.sources)
    if figure.value is None:
        if figure.grade == "MISSING":
            return _missing(category, level=level.level, kind="staff", what="专业技术人员要求")
        text = figure.notes[0] if figure.notes else f"标准未对{category}{level.level}设专业技术人员要求"
        return _static("staff", status="pass", message=text, provenance=provenance, id="staff")
    total, senior, intermediate, junior, _ = figure.value
    cumulative = (senior, senior + intermediate, senior + intermediate + junior, total)
    return StaffCheck(cumulative, provenance)


def _compile_equipment(category: str, *, level: str, figure: EquipmentFigure) -> EquipmentPart:
    if figure.value is None:
        if figure.grade == "MISSING":
            return _missing(category, level=level, kind="equipment", what="技术装备要求")
        text = figure.notes[0] if figure.notes else f"标准未对{category}{level}设技术装备要求"
        provenance = Provenance(figure.grade, figure.sources)
        return _static("equipment", status="pass", message=text, provenance=provenance, id="equipment")
    return tuple(_compile_item(item, figure=figure, number=i + 1) for i, item in enumerate(figure.value))


def _compile_item(item: EquipmentItem, *, figure: EquipmentFigure, number: int) -> EquipmentCheck:
    groups = [(item.sum_of, item.min, item.unit)] if item.sum_of is not None else []
    groups += [(group.sum_of, group.min, group.unit) for group in item.one_of or ()]
    alternatives = tuple(
        Alternative(types, messages.group_label(types), minimum or 0, unit or "")
        for types, minimum, unit in groups
        if types is not None
    )
    provenance = Provenance(item.grade or figure.grade, item.sources or figure.sources)
    return EquipmentCheck(f"equipment.{number}", alternatives, provenance)


def _compile_performance(
    category: str, *, level: str, figure: PerformanceFigure, rules: dict[str, PerformanceRule]
) -> PerformancePart:
    provenance = Provenance(figure.grade, figure.sources)
    if figure.value is None:
        if figure.grade == "MISSING":
            return _missing(category, level=level, kind="performance", what="测绘业绩要求")
        text = figure.notes[0] if figure.notes else f"标准未对{category}{level}设测绘业绩要求"
        return _static("performance", status="pass", message=text, provenance=provenance, id="performance")
    rule = rules[figure.value]
    return PerformanceCheck(
        category=category,
        prerequisite_level=rule.prerequisite_level,
        prerequisite_years=rule.prerequisite_years,
        window_years=rule.window_years,
        min_total_wan=rule.min_total_wan,
        min_single_wan=rule.min_single_project_wan,
        min_total_cents=round(rule.min_total_wan * CENTS_PER_WAN),
        min_single_cents=round(rule.min_single_project_wan * CENTS_PER_WAN),
        provenance=provenance,
    )


def _unavailable(standard: CategoryStandard, level: str) -> CategoryResult:
    gap = next(item for item in standard.unavailable if item.level == level)
    certificate = gap.certificate
    levels = [item.level for item in standard.levels]
    text = messages.not_available(standard.category, level=level, levels=levels, certificate=certificate)
    provenance = Provenance(gap.grade, gap.sources)
    requirement = _static("level", status="fail", message=text, provenance=provenance, id="level")
    return CategoryResult(category=standard.category, level=level, status="not_available", requirements=[requirement])
