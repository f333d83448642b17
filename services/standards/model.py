"""The standard as data: the Structs one 测绘资质分类分级标准 data file (data/<version>.json) decodes into.

Every figure carries a grade (how sure the reference is) and its sources:

- ``A`` / ``B``: graded secondary figures (B means one source only: not verified);
- ``OFFICIAL``: checked against the official text by an authority;
- ``MISSING``: not found; the value is ``null`` and an evaluation needing it is ``incomplete``.

A ``null`` value with grade A, B or OFFICIAL is a known absence: the standard sets no such
requirement (乙级 has no 业绩 column; 导航电子地图制作 甲级 has no 乙级 prerequisite).
C-grade claims are never rules: they live in ``notes`` only (the grade vocabulary has no C).
Files are strict (unknown fields refused) so a typo by an editing authority stops the service.
"""

from __future__ import annotations

import datetime
from typing import Annotated, Literal

import msgspec

__all__ = [
    "CategoryStandard",
    "EquipmentFigure",
    "EquipmentGroup",
    "EquipmentItem",
    "GeneralRule",
    "Grade",
    "LevelRef",
    "LevelStandard",
    "PerformanceFigure",
    "PerformanceRule",
    "PersonnelFigure",
    "RuleGrade",
    "StandardFile",
    "TextFigure",
    "Unavailable",
]

Grade = Literal["OFFICIAL", "A", "B", "MISSING"]
RuleGrade = Literal["OFFICIAL", "A", "B"]
Name = Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
NonNegative = Annotated[int, msgspec.Meta(ge=0)]
NonNegativeWan = Annotated[float, msgspec.Meta(ge=0)]
Text = Annotated[str, msgspec.Meta(min_length=1, max_length=2000)]
Names = tuple[Name, ...]
Texts = tuple[Text, ...]
PersonnelRow = Annotated[tuple[NonNegative, ...], msgspec.Meta(min_length=5, max_length=5)]


class _Strict(msgspec.Struct, kw_only=True, frozen=True, forbid_unknown_fields=True):
    """Base of the data-file Structs: unknown fields are refused."""


class PersonnelFigure(_Strict, frozen=True):
    """专业技术人员 ``[总数, 测绘专业 高级, 中级, 初级, 测绘相关专业]``."""

    value: PersonnelRow | None
    grade: Grade
    sources: Names = ()
    notes: Texts = ()


class EquipmentGroup(_Strict, frozen=True):
    """A ``sum_of`` group: instruments of the listed types, counted together, reach ``min``."""

    sum_of: Annotated[Names, msgspec.Meta(min_length=1)]
    min: NonNegative
    unit: Name


class EquipmentItem(_Strict, frozen=True):
    """One 技术装备 item, checked on its own: a ``sum_of`` group, or ``one_of`` alternatives.

    ``grade``/``sources`` override the figure's for this item (the reference grades some items
    separately).
    """

    sum_of: Annotated[Names, msgspec.Meta(min_length=1)] | None = None
    min: NonNegative | None = None
    unit: Name | None = None
    one_of: Annotated[tuple[EquipmentGroup, ...], msgspec.Meta(min_length=1)] | None = None
    grade: RuleGrade | None = None
    sources: Names = ()
    notes: Texts = ()


class EquipmentFigure(_Strict, frozen=True):
    """技术装备: the items of one level."""

    value: Annotated[tuple[EquipmentItem, ...], msgspec.Meta(min_length=1)] | None
    grade: Grade
    sources: Names = ()
    notes: Texts = ()


class PerformanceFigure(_Strict, frozen=True):
    """测绘业绩: the ``id`` of a performance rule, or null."""

    value: Name | None
    grade: Grade
    sources: Names = ()
    notes: Texts = ()


class TextFigure(_Strict, frozen=True):
    """A list of texts: 专业子项 or 作业限制范围."""

    value: Texts | None
    grade: Grade
    sources: Names = ()
    notes: Texts = ()


class LevelStandard(_Strict, frozen=True):
    """One 等级 of one 专业类别: personnel, equipment, 业绩 and (乙级) 作业限制范围."""

    level: Name
    personnel: PersonnelFigure
    equipment: EquipmentFigure
    performance: PerformanceFigure
    work_limits: TextFigure | None = None
    notes: Texts = ()


class LevelRef(_Strict, frozen=True):
    category: Name
    level: Name


class Unavailable(_Strict, frozen=True):
    """A level that does not exist for the category (导航电子地图制作 只设甲级)."""

    level: Name
    apply_instead: LevelRef
    certificate: Name
    grade: RuleGrade
    sources: Names = ()
    notes: Texts = ()


class CategoryStandard(_Strict, frozen=True):
    """专业标准 of one 专业类别."""

    category: Name
    subitems: TextFigure
    levels: tuple[LevelStandard, ...]
    unavailable: tuple[Unavailable, ...] = ()
    notes: Texts = ()


class PerformanceRule(_Strict, frozen=True):
    """甲级 测绘业绩 rule (reference 2.7): 乙级满N年, 近N年总值, one project of at least M."""

    id: Name
    prerequisite_level: Name
    prerequisite_years: NonNegative
    window_years: NonNegative
    min_total_wan: NonNegativeWan
    min_single_project_wan: NonNegativeWan
    text: Texts
    grade: RuleGrade
    sources: Names = ()
    notes: Texts = ()


class GeneralRule(_Strict, frozen=True):
    """A rule applying to all categories (不累加, 冲抵 …), recorded with its grade."""

    id: Name
    text: Text
    grade: RuleGrade
    sources: Names = ()
    notes: Texts = ()


class StandardFile(_Strict, kw_only=True, frozen=True):
    """One version of the standard; the file name is ``<version>.json``."""

    version: Name
    title: Name
    document: Name
    effective_from: datetime.date
    official: bool = False
    notes: Texts = ()
    sources: dict[str, str] = {}
    levels: Annotated[Names, msgspec.Meta(min_length=1)]
    categories: Annotated[Names, msgspec.Meta(min_length=1)]
    equipment_types: Names
    performance_rules: tuple[PerformanceRule, ...] = ()
    rules: tuple[GeneralRule, ...] = ()
    standards: tuple[CategoryStandard, ...]
