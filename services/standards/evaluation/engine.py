"""evaluate(): the unit's facts against the standard in force, one verdict per requested category.

Several categories are each checked against the same pool of staff and equipment, never summed
(不累加). A category is ``fail`` if any requirement fails, else ``incomplete`` if any requirement's
standard data is MISSING, else ``pass``; a level the category lacks is ``not_available``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from contracts.standards.api import CategoryResult, EvaluateRequest, Evaluation, Requirement
from services.standards.evaluation.compiled import CompiledLevel, CompiledStandard, StaffCheck
from services.standards.evaluation.equipment import check_equipment
from services.standards.evaluation.facts import Facts, gather
from services.standards.evaluation.performance import check_performance
from services.standards.evaluation.staff import check_staff

if TYPE_CHECKING:
    from services.standards.catalog import Catalog

__all__ = ["evaluate", "evaluate_with"]


def evaluate(catalog: Catalog, request: EvaluateRequest) -> Evaluation:
    """Evaluate with the named version, or the one in force on the application date."""
    return evaluate_with(catalog.choose(request.version, request.application_date), request)


def evaluate_with(standard: CompiledStandard, request: EvaluateRequest) -> Evaluation:
    facts = gather(standard, request)
    table = standard.table
    results = [_result(table[item.category, item.level], facts) for item in request.requests]
    return Evaluation(
        version=standard.version,
        application_date=request.application_date,
        overall=_overall(results),
        results=results,
    )


def _result(entry: CompiledLevel | CategoryResult, facts: Facts) -> CategoryResult:
    if isinstance(entry, CategoryResult):
        return entry
    requirements: list[Requirement] = []
    staff = entry.staff
    if isinstance(staff, StaffCheck):
        requirements += check_staff(staff, facts)
    else:
        requirements.append(staff)
    equipment = entry.equipment
    if isinstance(equipment, Requirement):
        requirements.append(equipment)
    else:
        requirements += check_equipment(equipment, facts)
    performance = entry.performance
    if isinstance(performance, Requirement):
        requirements.append(performance)
    else:
        requirements += check_performance(performance, facts)
    return CategoryResult(
        category=entry.category, level=entry.level, status=_status(requirements), requirements=requirements
    )


def _status(requirements: list[Requirement]) -> Literal["pass", "fail", "incomplete"]:
    statuses = {item.status for item in requirements}
    if "fail" in statuses:
        return "fail"
    return "incomplete" if "incomplete" in statuses else "pass"


def _overall(results: list[CategoryResult]) -> Literal["pass", "fail", "incomplete"]:
    statuses = {item.status for item in results}
    if "fail" in statuses or "not_available" in statuses:
        return "fail"
    return "incomplete" if "incomplete" in statuses else "pass"
