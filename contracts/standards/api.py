"""HTTP API of the standards service: 资质标准核验 requests, verdicts and the published standard.

Requests refuse unknown fields (a client's typo is a 400); responses are tolerant so a newer
service may add fields. Vocabulary (专业类别, 等级, 设备类型) is version data, so it is checked by
the service against the standard in force rather than fixed here.
"""

from __future__ import annotations

import datetime
from typing import Annotated, Literal

import msgspec

from contracts.base import Request, Response

__all__ = [
    "AmountWan",
    "CategoryResult",
    "CategoryStandard",
    "Count",
    "EquipmentFigure",
    "EquipmentGroup",
    "EquipmentHolding",
    "EquipmentItem",
    "EvaluateRequest",
    "Evaluation",
    "GeneralRule",
    "Grade",
    "HeldQualification",
    "LevelRef",
    "LevelRequest",
    "LevelStandard",
    "PerformanceFigure",
    "PerformanceRule",
    "PersonnelFigure",
    "ProjectRecord",
    "Requirement",
    "StaffMember",
    "StandardDetail",
    "StandardVersion",
    "StandardVersions",
    "TextFigure",
    "Title",
    "Unavailable",
]

Name = Annotated[str, msgspec.Meta(min_length=1, max_length=64)]
Count = Annotated[int, msgspec.Meta(ge=0, le=1_000_000)]
AmountWan = Annotated[float, msgspec.Meta(ge=0, le=100_000_000)]
Major = Literal["测绘", "相关"]
Title = Literal["高级", "中级", "初级"]
Grade = Literal["OFFICIAL", "A", "B", "MISSING"]
Number = int | float

# --- request ---------------------------------------------------------------------------------


class LevelRequest(Request):
    """One requested 专业类别 at one 等级 (甲级 / 乙级)."""

    category: Name
    level: Name


class StaffMember(Request, kw_only=True):
    """A 专业技术人员: 测绘专业 (by 职称 高级/中级/初级) or 测绘相关专业 (title not needed).

    ``countable`` is false when the record is incomplete or the person is registered at another
    unit (manual 5.5.2, 5.5.4); such a person counts for nothing.
    """

    id: Name
    major: Major
    title: Title | None = None
    countable: bool


class EquipmentHolding(Request):
    """技术装备 of one type; ``countable`` false when incomplete or held by another unit (5.6.2)."""

    type: Name
    count: Count
    countable: bool


class HeldQualification(Request):
    """A 测绘资质 the unit holds: category and level, held since ``since``."""

    category: Name
    level: Name
    since: datetime.date


class ProjectRecord(Request):
    """A completed 测绘项目 (业绩): amount in 万元 and the completion date."""

    category: Name
    amount_wan: AmountWan
    completed_on: datetime.date


class EvaluateRequest(Request, kw_only=True):
    """The unit's facts and what it applies for; ``version`` defaults to the one in force."""

    application_date: datetime.date
    requests: Annotated[list[LevelRequest], msgspec.Meta(min_length=1, max_length=20)]
    version: Name | None = None
    staff: Annotated[list[StaffMember], msgspec.Meta(max_length=20_000)] = msgspec.field(default_factory=list)
    equipment: Annotated[list[EquipmentHolding], msgspec.Meta(max_length=20_000)] = msgspec.field(default_factory=list)
    held: Annotated[list[HeldQualification], msgspec.Meta(max_length=100)] = msgspec.field(default_factory=list)
    projects: Annotated[list[ProjectRecord], msgspec.Meta(max_length=20_000)] = msgspec.field(default_factory=list)


# --- verdict ---------------------------------------------------------------------------------


class Requirement(Response, gc=False):
    """One explained requirement: what the standard asks, what the unit has, and how sure we are.

    Untracked by the garbage collector (``gc=False``: it holds only strings, numbers and a tuple
    of strings, so it can never be part of a cycle); an evaluation makes dozens of them.

    ``grade`` is the reference's confidence in the figure (A, B, OFFICIAL, or MISSING when the
    figure is absent and the requirement is ``incomplete``); ``verified`` only for OFFICIAL.
    """

    id: str
    kind: Literal["level", "staff", "equipment", "performance"]
    status: Literal["pass", "fail", "incomplete"]
    required: Number | None
    actual: Number | None
    unit: str
    message: str
    grade: Grade
    verified: bool
    sources: tuple[str, ...] = ()


class CategoryResult(Response):
    """The verdict for one requested 专业类别 and 等级."""

    category: str
    level: str
    status: Literal["pass", "fail", "not_available", "incomplete"]
    requirements: list[Requirement]


class Evaluation(Response):
    """All verdicts; ``overall`` is fail if any fails or is not available, else incomplete/pass."""

    version: str
    application_date: datetime.date
    overall: Literal["pass", "fail", "incomplete"]
    results: list[CategoryResult]


# --- the published standard --------------------------------------------------------------------


class StandardVersion(Response):
    """A version of the standard and the day it takes effect."""

    version: str
    title: str
    document: str
    effective_from: datetime.date
    official: bool


class StandardVersions(Response):
    versions: list[StandardVersion]


class PersonnelFigure(Response):
    """专业技术人员 ``[总数, 高级, 中级, 初级, 相关]``; ``value`` null when MISSING."""

    value: tuple[int, ...] | None
    grade: Grade
    sources: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()


class EquipmentGroup(Response):
    """Instruments of the listed types, counted together, must reach ``min``."""

    sum_of: tuple[str, ...]
    min: int
    unit: str


class EquipmentItem(Response):
    """One 技术装备 item: a ``sum_of`` group, or ``one_of`` alternative groups."""

    sum_of: tuple[str, ...] | None = None
    min: int | None = None
    unit: str | None = None
    one_of: tuple[EquipmentGroup, ...] | None = None
    grade: Grade | None = None
    sources: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()


class EquipmentFigure(Response):
    value: tuple[EquipmentItem, ...] | None
    grade: Grade
    sources: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()


class PerformanceFigure(Response):
    """测绘业绩: the id of a performance rule, or null (none set, or MISSING by grade)."""

    value: str | None
    grade: Grade
    sources: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()


class TextFigure(Response):
    """A list of texts (专业子项, 作业限制范围); null when MISSING."""

    value: tuple[str, ...] | None
    grade: Grade
    sources: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()


class LevelStandard(Response):
    level: str
    personnel: PersonnelFigure
    equipment: EquipmentFigure
    performance: PerformanceFigure
    work_limits: TextFigure | None = None
    notes: tuple[str, ...] = ()


class LevelRef(Response):
    category: str
    level: str


class Unavailable(Response):
    """A level the category does not have, and the certificate to apply for instead."""

    level: str
    apply_instead: LevelRef
    certificate: str
    grade: Grade
    sources: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()


class CategoryStandard(Response):
    category: str
    subitems: TextFigure
    levels: tuple[LevelStandard, ...]
    unavailable: tuple[Unavailable, ...] = ()
    notes: tuple[str, ...] = ()


class PerformanceRule(Response):
    """甲级 业绩 rule: prerequisite level held for N years, amount in a window, one large project."""

    id: str
    prerequisite_level: str
    prerequisite_years: int
    window_years: int
    min_total_wan: float
    min_single_project_wan: float
    text: tuple[str, ...]
    grade: Grade
    sources: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()


class GeneralRule(Response):
    id: str
    text: str
    grade: Grade
    sources: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()


class StandardDetail(StandardVersion, kw_only=True):
    """A whole version: vocabulary, per-category requirements, work limits and grades."""

    notes: tuple[str, ...]
    sources: dict[str, str]
    levels: tuple[str, ...]
    categories: tuple[str, ...]
    equipment_types: tuple[str, ...]
    performance_rules: tuple[PerformanceRule, ...]
    rules: tuple[GeneralRule, ...]
    standards: tuple[CategoryStandard, ...]
