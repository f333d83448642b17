"""The transition from the old regime (2014, 甲乙丙丁) to the 2021 standard, as graded data
(``transition.json``): which 2021 专业类别 and 等级 an old-regime certificate counts as held, and
from which day. Data the services share (a service imports no other): staffing keeps the held
qualifications standards evaluates (乙级满2年), applications decides from it whether 测绘业绩信息
applies. Grade ``INFERRED``: no transition text was found; the file's notes say why this reading.
"""

from __future__ import annotations

import datetime as dt
from functools import cache
from pathlib import Path

import msgspec

__all__ = ["FILE", "LegacyTransition", "counted_as", "held_as", "transition"]

FILE = Path(__file__).with_name("transition.json")


class LegacyTransition(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """``levels`` and ``categories``: old-regime name → 2021 name (absent: counts as nothing);
    ``counts_from``: ``issued_on`` (the 发证日期) or a date before which nothing counts."""

    id: str
    decision: str
    grade: str
    counts_from: str
    levels: dict[str, str]
    categories: dict[str, str]
    sources: list[str] = msgspec.field(default_factory=list)
    notes: list[str] = msgspec.field(default_factory=list)

    def __post_init__(self) -> None:
        if self.counts_from != "issued_on":
            dt.date.fromisoformat(self.counts_from)

    def counted_as(self, category: str, level: str) -> tuple[str, str] | None:
        """The 2021 (专业类别, 等级) an old-regime certificate's category counts as, or None."""
        mapped_category, mapped_level = self.categories.get(category), self.levels.get(level)
        if mapped_category is None or mapped_level is None:
            return None
        return mapped_category, mapped_level

    def held_as(self, category: str, level: str, issued_on: dt.date) -> tuple[str, str, dt.date] | None:
        """The 2021 (专业类别, 等级, held since) an old-regime certificate's category counts as, or
        None when it counts as nothing."""
        counted = self.counted_as(category, level)
        if counted is None:
            return None
        since = (
            issued_on if self.counts_from == "issued_on" else max(issued_on, dt.date.fromisoformat(self.counts_from))
        )
        return *counted, since


@cache
def transition() -> LegacyTransition:
    """The transition data (read once)."""
    return msgspec.json.decode(FILE.read_bytes(), type=LegacyTransition)


def held_as(regime: str, category: str, level: str, issued_on: dt.date) -> tuple[str, str, dt.date] | None:
    """What a certificate's (专业类别, 等级), issued on ``issued_on``, counts as held under the 2021
    standard: itself for a 2021-regime certificate, the transition's mapping for an old-regime one."""
    if regime != "legacy":
        return category, level, issued_on
    return transition().held_as(category, level, issued_on)


def counted_as(regime: str, category: str, level: str) -> tuple[str, str] | None:
    """``held_as`` without the day: the 2021 (专业类别, 等级) a certificate's category counts as."""
    return (category, level) if regime != "legacy" else transition().counted_as(category, level)
