"""专业技术人员 check with 冲抵: a higher 测绘 tier stands in for a lower one, and any 测绘 person for 相关.

The unit passes when ``h >= H``, ``h+m >= H+M``, ``h+m+j >= H+M+J`` and ``h+m+j+r >= 总数``
(standards.md 3.1; 冲抵 is grade B [S8]).
"""

from __future__ import annotations

from contracts.standards.api import Requirement
from services.standards.evaluation import messages
from services.standards.evaluation.compiled import StaffCheck
from services.standards.evaluation.facts import Facts

__all__ = ["check_staff"]

_TIERS = (
    ("staff.cumulative.senior", "测绘专业高级人员"),
    ("staff.cumulative.intermediate", "测绘专业中级及以上人员"),
    ("staff.cumulative.junior", "测绘专业初级及以上人员"),
    ("staff.total", "专业技术人员（测绘专业及相关专业）"),
)


def check_staff(check: StaffCheck, facts: Facts) -> list[Requirement]:
    senior, intermediate, junior, others = facts.staff
    upto_junior = senior + intermediate + junior
    have = (senior, senior + intermediate, upto_junior, upto_junior + others)
    provenance = check.provenance
    return [
        Requirement(
            id=tier_id,
            kind="staff",
            status="pass" if actual >= required else "fail",
            required=required,
            actual=actual,
            unit="人",
            message=messages.staff_tier(label, required=required, actual=actual),
            grade=provenance.grade,
            verified=provenance.verified,
            sources=provenance.sources,
        )
        for (tier_id, label), required, actual in zip(_TIERS, check.required, have, strict=True)
    ]
