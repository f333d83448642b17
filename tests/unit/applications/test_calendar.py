"""工作日历 and 法定期限: table tests across 国庆 and 春节 with their 调休 days, a year without data,
and the seed in migration 0004 agreeing with chinese_calendar."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import chinese_calendar
import pytest

from services.applications.model import deadlines
from services.applications.model.calendar import (
    REST,
    WORK,
    SpecialDay,
    WorkingCalendar,
    check_year,
    missing_years_warning,
)

D = dt.date
LIMITS = deadlines.Limits()
SEED = Path(__file__).resolve().parents[3] / "services/applications/migrations/0004_workflow.sql"


def seeded() -> WorkingCalendar:
    """The calendar as migration 0004 seeds it: 2004–2026 from its own INSERT rows."""
    text = SEED.read_text()
    days = [
        SpecialDay(D.fromisoformat(day), kind, name)
        for day, kind, name in re.findall(r"\('(\d{4}-\d\d-\d\d)', '(休息日|调休上班)', '([^']*)'\)", text)
    ]
    years = [int(y) for y in re.findall(r"\((\d{4}), 'chinese_calendar 1\.11\.0'\)", text)]
    return WorkingCalendar.of(years, days)


def test_the_seed_is_chinese_calendar_2004_to_2026() -> None:
    calendar = seeded()
    assert calendar.years == frozenset(range(2004, 2027))
    day = D(2004, 1, 1)
    while day <= D(2026, 12, 31):
        assert calendar.is_working_day(day) == chinese_calendar.is_workday(day), day
        day += dt.timedelta(days=1)
    assert not calendar.missing


@pytest.mark.parametrize(
    ("submitted", "due"),
    [
        (D(2025, 9, 26), D(2025, 10, 10)),  # 国庆 2025: 9-28 (Sun) worked, 10-1..10-8 off
        (D(2026, 2, 12), D(2026, 2, 26)),  # 春节 2026: 2-14 (Sat) worked, 2-15..2-23 off
        (D(2026, 9, 30), D(2026, 10, 13)),  # 国庆 2026: 10-1..10-7 off; 10-8, 10-9, 10-10 (Sat), 10-12, 10-13
        (D(2026, 3, 2), D(2026, 3, 9)),  # an ordinary week: Monday + 5 = next Monday
        (D(2026, 3, 7), D(2026, 3, 13)),  # submitted on a Saturday: counting starts Monday
    ],
)
def test_accept_due_is_the_fifth_working_day_after(submitted: dt.date, due: dt.date) -> None:
    assert deadlines.accept_due(seeded(), submitted, LIMITS) == due


@pytest.mark.parametrize(
    ("accepted", "due", "extended"),
    [
        (D(2024, 9, 27), D(2024, 10, 23), D(2024, 11, 6)),  # 国庆 2024: 9-29 (Sun) and 10-12 (Sat) worked
        (D(2026, 2, 13), D(2026, 3, 12), D(2026, 3, 26)),  # 春节 2026: 2-14 and 2-28 (Sat) worked
        (D(2025, 1, 24), D(2025, 2, 20), D(2025, 3, 6)),  # 春节 2025: 1-26 (Sun), 2-8 (Sat) worked; 1-28..2-4 off
    ],
)
def test_decision_due_and_its_extension(accepted: dt.date, due: dt.date, extended: dt.date) -> None:
    calendar = seeded()
    assert deadlines.decision_due(calendar, accepted, LIMITS) == due
    assert deadlines.extended_due(calendar, due, LIMITS) == extended


def test_a_year_without_data_counts_weekends_only_and_says_so() -> None:
    calendar = seeded()
    due = deadlines.accept_due(calendar, D(2026, 12, 28), LIMITS)
    assert due == D(2027, 1, 4)  # 12-29, 12-30, 12-31, 1-1 (Fri: no notice loaded), 1-4
    assert calendar.missing == {2027}
    assert chinese_calendar_refuses(D(2027, 1, 4))
    warning = missing_years_warning(calendar.missing)
    assert warning is not None and warning.startswith("2027年放假安排尚未载入")
    assert missing_years_warning([]) is None


def chinese_calendar_refuses(day: dt.date) -> bool:
    try:
        chinese_calendar.is_workday(day)
    except NotImplementedError:
        return True
    return False


def test_a_loaded_notice_changes_the_count() -> None:
    days = [SpecialDay(D(2027, 1, 1), REST, "元旦"), SpecialDay(D(2027, 1, 9), WORK)]
    calendar = WorkingCalendar.of([*range(2004, 2027), 2027], [*seeded_days(), *days])
    assert deadlines.accept_due(calendar, D(2026, 12, 28), LIMITS) == D(2027, 1, 5)
    assert calendar.is_working_day(D(2027, 1, 9))  # a Saturday worked in lieu
    assert not calendar.missing


def seeded_days() -> list[SpecialDay]:
    calendar = seeded()
    return [SpecialDay(d, REST) for d in calendar.rest] + [SpecialDay(d, WORK) for d in calendar.work]


@pytest.mark.parametrize(
    ("today", "working_days", "overdue"),
    [
        (D(2026, 2, 12), 5, False),
        (D(2026, 2, 13), 4, False),
        (D(2026, 2, 20), 3, False),  # inside 春节: 2-24, 2-25, 2-26 remain
        (D(2026, 2, 26), 0, False),  # the last day is still in time
        (D(2026, 2, 27), -1, True),
        (D(2026, 3, 2), -3, True),  # 2-27, 2-28 (Sat, worked in lieu), 3-2
    ],
)
def test_time_left_in_working_days(today: dt.date, working_days: int, overdue: bool) -> None:
    left = deadlines.time_left(seeded(), D(2026, 2, 26), today)
    assert (left.working_days, left.overdue) == (working_days, overdue)


@pytest.mark.parametrize(
    ("rest", "work", "field"),
    [
        ([D(2028, 1, 1)], [], "rest_days[0]"),  # outside the year
        ([], [D(2027, 1, 4)], "work_days[0]"),  # a Monday is a working day already
        ([D(2027, 1, 9)], [D(2027, 1, 9)], "work_days[0]"),  # both
    ],
)
def test_a_notice_is_checked(rest: list[dt.date], work: list[dt.date], field: str) -> None:
    problem = check_year(2027, rest, work)
    assert problem is not None and problem.field == field
    assert check_year(2027, [D(2027, 1, 1)], [D(2027, 1, 9)]) is None
