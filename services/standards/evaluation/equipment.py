"""技术装备 check: each item on its own; a ``sum_of`` group counts only its listed types together,
``one_of`` passes with any alternative. The same instrument may serve several categories (不累加).
"""

from __future__ import annotations

from contracts.standards.api import Requirement
from services.standards.evaluation import messages
from services.standards.evaluation.compiled import Alternative, EquipmentCheck
from services.standards.evaluation.facts import Facts

__all__ = ["check_equipment"]


def check_equipment(items: tuple[EquipmentCheck, ...], facts: Facts) -> list[Requirement]:
    counts = facts.equipment
    return [_check_item(item, counts) for item in items]


def _check_item(item: EquipmentCheck, counts: dict[str, int]) -> Requirement:
    found = [(alt, sum(counts.get(name, 0) for name in alt.types)) for alt in item.alternatives]
    passed = any(actual >= alt.minimum for alt, actual in found)
    best, actual = max(found, key=_closeness)
    if len(found) == 1:
        text = messages.equipment_group(best.label, required=best.minimum, actual=actual, unit=best.unit)
    else:
        parts = [(alt.label, alt.minimum, have, alt.unit) for alt, have in found]
        text = messages.equipment_one_of(parts, passed=passed)
    provenance = item.provenance
    return Requirement(
        id=item.id,
        kind="equipment",
        status="pass" if passed else "fail",
        required=best.minimum,
        actual=actual,
        unit=best.unit,
        message=text,
        grade=provenance.grade,
        verified=provenance.verified,
        sources=provenance.sources,
    )


def _closeness(found: tuple[Alternative, int]) -> tuple[bool, float]:
    """Passing alternatives first, then the one nearest its minimum (reported as required/actual)."""
    alt, actual = found
    return actual >= alt.minimum, actual / alt.minimum if alt.minimum else float("inf")
