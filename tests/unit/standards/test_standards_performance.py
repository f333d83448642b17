"""甲级 测绘业绩 rules, table-driven: 满2年 on the application date, 600万 in the window, one 50万 project."""

from __future__ import annotations

import datetime

import pytest

from services.standards.evaluation.performance import add_months, full_months
from tests.unit.standards.standards_builders import DAY, a_request, held, just_enough, project, run, statuses

GEODESY_A = ("大地测量", "甲级")  # [60, 4, 7, 13, 36]; 业绩 A
d = datetime.date


def _performance(*, since: datetime.date | None, amounts: list[float], day: datetime.date = DAY) -> dict[str, str]:
    facts = just_enough(*GEODESY_A)
    facts["held"] = [] if since is None else [held("大地测量", since)]
    facts["projects"] = [project("大地测量", amount, day) for amount in amounts]
    got = statuses(a_request(GEODESY_A, day=day, **facts))
    return {key.removeprefix("performance."): value for key, value in got.items() if key.startswith("performance")}


PERFORMANCE_CASES = [
    ("exactly 24 months, 600万, one of 50万", d(2024, 11, 24), [550, 50], DAY, ("pass", "pass", "pass")),
    ("one day short of 24 months", d(2024, 11, 25), [600], DAY, ("fail", "pass", "pass")),
    ("2024-02-29 is 满2年 on 2026-02-28", d(2024, 2, 29), [600], d(2026, 2, 28), ("pass", "pass", "pass")),
    ("2024-02-29 is not 满2年 on 2026-02-27", d(2024, 2, 29), [600], d(2026, 2, 27), ("fail", "pass", "pass")),
    ("never held 乙级", None, [600], DAY, ("fail", "pass", "pass")),
    ("held since after the application date", d(2027, 1, 1), [600], DAY, ("fail", "pass", "pass")),
    ("599.99万 is short", d(2020, 1, 1), [549.99, 50], DAY, ("pass", "fail", "pass")),
    ("decimals summing exactly to 600万", d(2020, 1, 1), [33.33] * 18 + [0.06], DAY, ("pass", "pass", "fail")),
    ("largest project 49.99万", d(2020, 1, 1), [49.99] * 13, DAY, ("pass", "pass", "fail")),
    ("no projects", d(2020, 1, 1), [], DAY, ("pass", "fail", "fail")),
]


@pytest.mark.parametrize(
    ("since", "amounts", "day", "expected"),
    [case[1:] for case in PERFORMANCE_CASES],
    ids=[c[0] for c in PERFORMANCE_CASES],
)
def test_jia_performance(
    since: datetime.date | None, amounts: list[float], day: datetime.date, expected: tuple[str, ...]
) -> None:
    got = _performance(since=since, amounts=amounts, day=day)
    assert (got["prerequisite"], got["total"], got["single_project"]) == expected


WINDOW_CASES = [
    ("completed on the window's first day", d(2024, 11, 24), "大地测量", "pass"),
    ("completed the day before the window", d(2024, 11, 23), "大地测量", "fail"),
    ("completed on the application date", DAY, "大地测量", "pass"),
    ("completed after the application date", d(2026, 11, 25), "大地测量", "fail"),
    ("completed in another category", DAY, "工程测量", "fail"),
]


@pytest.mark.parametrize(
    ("completed_on", "category", "expected"), [c[1:] for c in WINDOW_CASES], ids=[c[0] for c in WINDOW_CASES]
)
def test_projects_count_only_in_the_window_and_category(
    completed_on: datetime.date, category: str, expected: str
) -> None:
    facts = just_enough(*GEODESY_A)
    facts["projects"] = [project(category, 600, completed_on)]
    assert statuses(a_request(GEODESY_A, **facts))["performance.total"] == expected


def test_holding_jia_or_another_category_is_not_the_yi_prerequisite() -> None:
    facts = just_enough(*GEODESY_A)
    facts["held"] = [held("大地测量", d(2010, 1, 1), level="甲级"), held("工程测量", d(2010, 1, 1))]
    assert statuses(a_request(GEODESY_A, **facts))["performance.prerequisite"] == "fail"


@pytest.mark.parametrize("earliest_first", [True, False], ids=["earliest listed first", "earliest listed last"])
def test_the_prerequisite_counts_from_the_earliest_yi_since(earliest_first: bool) -> None:
    """乙级 held continuously through two records (a certificate renewed in 2025): only counting from
    the first record's ``since`` gives 满2年 (the latest gives 10 months)."""
    records = [held("大地测量", d(2023, 3, 1)), held("大地测量", d(2026, 1, 15))]
    facts = just_enough(*GEODESY_A)
    facts["held"] = records if earliest_first else records[::-1]
    result = run(a_request(GEODESY_A, **facts)).results[0]
    prerequisite = next(item for item in result.requirements if item.id == "performance.prerequisite")
    assert (prerequisite.status, prerequisite.required, prerequisite.actual) == ("pass", 24, 44)
    assert result.status == "pass"


def test_performance_figures_are_explained_in_wan_and_months() -> None:
    facts = just_enough(*GEODESY_A)
    facts["held"] = [held("大地测量", d(2025, 1, 10))]
    facts["projects"] = [project("大地测量", 80.5), project("大地测量", 120)]
    items = {item.id: item for item in run(a_request(GEODESY_A, **facts)).results[0].requirements}
    assert (items["performance.prerequisite"].required, items["performance.prerequisite"].actual) == (24, 22)
    assert (items["performance.total"].required, items["performance.total"].actual) == (600, 200.5)
    assert items["performance.total"].message.endswith("需600万元，实有200.5万元")
    assert (items["performance.single_project"].actual, items["performance.single_project"].status) == (120, "pass")


def test_merged_cell_performance_carries_grade_b() -> None:
    result = run(a_request(("界线与不动产测绘", "甲级"), **just_enough("界线与不动产测绘", "甲级"))).results[0]
    assert {item.grade for item in result.requirements if item.kind == "performance"} == {"B"}
    assert all(item.verified is False for item in result.requirements)


@pytest.mark.parametrize(
    ("since", "day", "months"),
    [
        (d(2024, 5, 1), d(2026, 5, 1), 24),
        (d(2024, 5, 1), d(2026, 4, 30), 23),
        (d(2024, 1, 31), d(2024, 2, 29), 1),
        (d(2024, 2, 29), d(2026, 2, 28), 24),
        (d(2024, 5, 31), d(2024, 6, 15), 0),
        (d(2024, 5, 1), d(2024, 5, 1), 0),
    ],
)
def test_full_months(since: datetime.date, day: datetime.date, months: int) -> None:
    assert full_months(since, day) == months
    assert add_months(since, months) <= day < add_months(since, months + 1)
