"""Page definitions (manual §5) as the data defines them: fields, uploads, and the roster pages.

A ``PageSpec`` is immutable and shared by every work; what depends on the work (read-only fields,
the standard's levels, the unit's certificates) is passed in a ``FieldContext`` when validating.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["FIELD_KINDS", "ROSTERS", "FieldSpec", "PageSpec", "UploadSpec"]

FIELD_KINDS = frozenset(
    {"text", "textarea", "select", "date", "number", "province_address", "people", "levels", "certificate", "removals"}
)
ROSTERS = frozenset({"persons", "equipment", "projects"})
"""The staffing lists a roster page embeds (技术人员, 技术装备, 测绘业绩)."""

RULES = frozenset({"at_least_one_change"})
"""Page-wide rules: ``at_least_one_change`` (变更信息: name, address or representative)."""


@dataclass(frozen=True, slots=True)
class FieldSpec:
    """One input. ``locked_when_verified``: read-only once the unit is verified (单位名称, 注册地址,
    法定代表人), except in the types listed by ``editable_in``. ``only_for``: the types that show it
    (empty: all). ``pattern`` with ``pattern_message``: a format check (联系电话, 电子邮箱)."""

    key: str
    label: str
    kind: str
    required: bool = False
    max_length: int | None = None
    options: tuple[tuple[str, str], ...] = ()
    read_only: bool = False
    locked_when_verified: bool = False
    editable_in: frozenset[str] = frozenset()
    only_for: frozenset[str] = frozenset()
    item_fields: tuple[FieldSpec, ...] = ()
    min_items: int | None = None
    max_items: int | None = None
    pattern: str | None = None
    pattern_message: str | None = None
    help: str | None = None

    def applies_to(self, application_type: str) -> bool:
        return not self.only_for or application_type in self.only_for


@dataclass(frozen=True, slots=True)
class UploadSpec:
    """An upload: the documents service's 材料类型 and the label the page shows."""

    purpose: str
    label: str
    required: bool = False


@dataclass(frozen=True, slots=True)
class PageSpec:
    """A page: key (stable, English), title (Chinese), the manual's section, fields and uploads;
    ``roster`` for a page that embeds a staffing list; ``rule`` for a page-wide check."""

    key: str
    title: str
    section: str | None = None
    fields: tuple[FieldSpec, ...] = ()
    uploads: tuple[UploadSpec, ...] = ()
    roster: str | None = None
    rule: str | None = None
    field_index: dict[str, FieldSpec] = field(default_factory=dict, compare=False, hash=False)

    def __post_init__(self) -> None:
        self.field_index.update({f.key: f for f in self.fields})

    def fields_for(self, application_type: str) -> tuple[FieldSpec, ...]:
        return tuple(f for f in self.fields if f.applies_to(application_type))
