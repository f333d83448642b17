"""The old-regime → 2021 transition (contracts/standards/transition.json, issue 18): graded INFERRED
with its reasons, naming only the 2021 standard's 专业类别 and 等级 and the reference's sources;
an old 乙级 counts from its 发证日期 in its mapped 专业类别, a 丙级/丁级 or unknown name not at all."""

from __future__ import annotations

import datetime as dt

import msgspec
import pytest

from contracts.standards.transition import FILE, LegacyTransition, held_as, transition
from services.standards.loader import load_file
from services.standards.settings import DEFAULT_DATA_DIR

DATA = load_file(DEFAULT_DATA_DIR / "2021.json")
ISSUED = dt.date(2018, 3, 20)


def test_the_decision_is_graded_inferred_and_names_only_the_standards_terms() -> None:
    rule = transition()
    assert rule.grade == "INFERRED"
    assert rule.notes and rule.decision
    assert set(rule.categories.values()) <= set(DATA.categories)
    assert set(rule.levels.values()) <= set(DATA.levels)
    assert set(rule.sources) <= set(DATA.sources)


@pytest.mark.parametrize(
    ("regime", "category", "level", "expected"),
    [
        ("legacy", "工程测量", "乙级", ("工程测量", "乙级", ISSUED)),
        ("legacy", "地籍测绘", "乙级", ("界线与不动产测绘", "乙级", ISSUED)),
        ("legacy", "不动产测绘", "甲级", ("界线与不动产测绘", "甲级", ISSUED)),
        ("legacy", "工程测量", "丙级", None),
        ("legacy", "工程测量", "丁级", None),
        ("legacy", "测绘监理", "乙级", None),
        ("2021", "工程测量", "乙级", ("工程测量", "乙级", ISSUED)),
    ],
)
def test_what_a_certificate_counts_as(regime: str, category: str, level: str, expected: object) -> None:
    assert held_as(regime, category, level, ISSUED) == expected


def test_a_date_in_counts_from_is_a_floor() -> None:
    rule = msgspec.json.decode(FILE.read_bytes(), type=LegacyTransition)
    floored = msgspec.structs.replace(rule, counts_from="2021-07-01")
    assert floored.held_as("工程测量", "乙级", ISSUED) == ("工程测量", "乙级", dt.date(2021, 7, 1))
    with pytest.raises(ValueError):
        msgspec.structs.replace(rule, counts_from="发证后")
