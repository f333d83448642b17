"""Work (工作): one piece of work with its saved pages, read the way 提交 and 批准 need it.

``Work`` is built by ``repository.works.load`` from the ``applications`` row, its saved pages,
the unit's replica and the unit's held certificates. Every method is pure.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from contracts.applications.events import ApprovedLevel, UnitParticulars
from contracts.standards.transition import counted_as

from .provinces import province_name
from .records import Entry
from .types import LaidPage

__all__ = [
    "EDITABLE_STATES",
    "SCOPE_CHANGE",
    "HeldCertificate",
    "SavedPage",
    "UnitRecord",
    "Work",
    "address_text",
    "parse_levels",
]

EDITABLE_STATES = frozenset({"draft", "returned"})
"""States in which the unit may save pages (填报中, 退回补齐)."""

UNIT_INFO, SCOPE, CHANGES, REISSUE, CANCELLATION = "unit_info", "scope", "changes", "reissue", "cancellation"
SCOPE_CHANGE = "专业范围变更"
_CERTIFICATE_PAGES = (REISSUE, CANCELLATION)
_TOP, _SECOND = "甲级", "乙级"


@dataclass(frozen=True, slots=True)
class SavedPage:
    """What the unit saved on one page: field values and, per 材料类型, document ids."""

    key: str
    values: Mapping[str, Any]
    documents: Mapping[str, list[str]]
    saved_at: dt.datetime | None = None


@dataclass(frozen=True, slots=True)
class UnitRecord:
    """The unit as applications knows it (replica of identity + its own approved particulars)."""

    unit_id: str
    unit_name: str
    credit_code: str
    verified: bool = False
    registered_address: str | None = None
    legal_representative: str | None = None


@dataclass(frozen=True, slots=True)
class HeldCertificate:
    """A certificate the unit holds (replica of the registry): only 有效 ones are loaded."""

    number: str
    certificate_type: str
    level: str
    regime: str
    categories: tuple[ApprovedLevel, ...] = ()
    valid_until: dt.date | None = None


def address_text(value: Any) -> str:
    """A ``province_address`` value as one line: ``北京市`` + detail."""
    if isinstance(value, Mapping):
        return f"{province_name(str(value.get('province', '')))}{value.get('detail', '')}".strip()
    return str(value or "").strip()


def parse_levels(value: Any) -> list[ApprovedLevel]:
    """The ``levels`` field's saved list as ApprovedLevel (already validated when saved)."""
    items = value if isinstance(value, list) else []
    return [
        ApprovedLevel(category=str(i["category"]), level=str(i["level"]), sub_items=list(i.get("sub_items") or []))
        for i in items
        if isinstance(i, Mapping) and i.get("category") and i.get("level")
    ]


@dataclass(slots=True)
class Work:
    """A piece of work: the row, the type's layout, the saved pages, the unit and its certificates."""

    id: str
    unit_id: str
    unit_name: str
    credit_code: str
    application_type: str
    certificate_type: str
    jurisdiction: str
    state: str
    version: int
    revision: int
    created_at: dt.datetime
    layout: tuple[LaidPage, ...] = ()
    pages: dict[str, SavedPage] = field(default_factory=dict)
    unit: UnitRecord | None = None
    held: tuple[HeldCertificate, ...] = ()
    certificate_number: str | None = None
    submitted_at: dt.datetime | None = None
    snapshot_id: str | None = None
    accept_due: dt.date | None = None
    accepted_on: dt.date | None = None
    decision_due: dt.date | None = None
    deemed: bool = False
    deadline: dt.date | None = None
    """The current step's last day (受理 while submitted, 批准 while accepted)."""
    returned_by: Entry | None = None
    """While 退回补齐: the record's 退回补齐 entry (its notice, reasons and pages)."""

    # --- the layout ------------------------------------------------------------------------------

    @property
    def editable(self) -> bool:
        return self.state in EDITABLE_STATES

    def laid_pages(self) -> list[LaidPage]:
        """The pages this work has now, in order (测绘业绩信息 only when ``needs_projects``)."""
        return [laid for laid in self.layout if laid.when is None or self._holds(laid.when)]

    def _holds(self, condition: str) -> bool:
        return condition == "needs_projects" and self.needs_projects()

    def has_page(self, key: str) -> bool:
        return any(laid.spec.key == key for laid in self.layout)

    def page_returned(self, key: str) -> bool:
        """The 退回补齐 notice names page ``key`` and the unit has not saved it since."""
        entry = self.returned_by
        if self.state != "returned" or entry is None or key not in entry.pages:
            return False
        saved = self.pages.get(key)
        return (
            saved is None or saved.saved_at is None or entry.recorded_at is None or saved.saved_at <= entry.recorded_at
        )

    def values_of(self, key: str) -> Mapping[str, Any]:
        saved = self.pages.get(key)
        return saved.values if saved is not None else {}

    # --- what 提交 and 批准 read -----------------------------------------------------------------

    def requested_levels(self) -> list[ApprovedLevel]:
        """专业范围 as requested; for a type without that page, the concerned certificate's."""
        if self.has_page(SCOPE):
            return parse_levels(self.values_of(SCOPE).get("levels"))
        held = self.held_certificate()
        return list(held.categories) if held is not None else []

    def current_levels(self) -> list[ApprovedLevel] | None:
        """专业范围变更: the 专业范围 on the certificate it changes (None for other types)."""
        held = self.held_certificate() if self.application_type == SCOPE_CHANGE else None
        return list(held.categories) if held is not None else None

    def particulars(self) -> UnitParticulars:
        """单位基本信息 as saved; what is not saved comes from the unit's record."""
        values, unit = self.values_of(UNIT_INFO), self.unit
        return UnitParticulars(
            unit_name=str(values.get("unit_name") or (unit.unit_name if unit else self.unit_name)),
            credit_code=self.credit_code,
            registered_address=address_text(values.get("registered_address"))
            or (unit.registered_address if unit and unit.registered_address else ""),
            legal_representative=str(values.get("legal_representative") or "")
            or (unit.legal_representative if unit and unit.legal_representative else ""),
        )

    def changes(self) -> dict[str, str]:
        """变更信息: the new ``unit_name`` / ``registered_address`` / ``legal_representative`` given."""
        values = self.values_of(CHANGES)
        found = {
            "unit_name": str(values.get("new_unit_name") or "").strip(),
            "registered_address": address_text(values.get("new_registered_address")),
            "legal_representative": str(values.get("new_legal_representative") or "").strip(),
        }
        return {key: value for key, value in found.items() if value}

    def concerned_certificate(self) -> str | None:
        """The held certificate the work is about (补充/变更/补领/注销/复审换证), if any."""
        for key in _CERTIFICATE_PAGES:
            chosen = self.values_of(key).get("certificate")
            if chosen:
                return str(chosen)
        return self.certificate_number

    def held_certificate(self) -> HeldCertificate | None:
        number = self.concerned_certificate()
        return next((c for c in self.held if c.number == number), None)

    def reason(self) -> str | None:
        """补领's 遗失/损毁, or 注销's reason."""
        for key in _CERTIFICATE_PAGES:
            reason = self.values_of(key).get("reason")
            if reason:
                return str(reason)
        return None

    def document_ids(self) -> list[str]:
        """Every upload on every page the work has now, in page order, without repeats."""
        seen: dict[str, None] = {}
        for laid in self.laid_pages():
            saved = self.pages.get(laid.spec.key)
            for ids in saved.documents.values() if saved else ():
                seen.update(dict.fromkeys(ids))
        return list(seen)

    def needs_projects(self) -> bool:
        """A requested category goes from 乙级 (held now) to 甲级: 测绘业绩信息 applies. An old-regime
        乙级 counts as the transition data says (contracts/standards/transition.json), as it does
        for 满足情况's 乙级满2年."""
        if not self.has_page(SCOPE):
            return False
        counted = (counted_as(cert.regime, c.category, c.level) for cert in self.held for c in cert.categories)
        held_second = {found[0] for found in counted if found is not None and found[1] == _SECOND}
        return any(level.level == _TOP and level.category in held_second for level in self.requested_levels())
