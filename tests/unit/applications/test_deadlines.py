"""Deadlines counted again when a year's 放假安排 is loaded: from the dates of 提交 and 受理, with the
extension kept; work in other states is left alone. Which unloaded years a deadline was counted through."""

from __future__ import annotations

import datetime as dt

from services.applications.handlers.calendar import recounted
from services.applications.model.calendar import REST, SpecialDay, WorkingCalendar
from services.applications.model.deadlines import Limits, counted_from, unloaded_years
from services.applications.repository.transitions import Progress

D = dt.date
WEEKENDS_ONLY = WorkingCalendar()
NEW_YEAR_OFF = WorkingCalendar.of([2027], [SpecialDay(D(2027, 1, 1), REST, "元旦")])


def progress(state: str, **dates: object) -> Progress:
    return Progress(id="w", unit_id="u", jurisdiction="110000", state=state, version=3, revision=0, **dates)  # type: ignore[arg-type]


def test_a_submitted_work_is_counted_from_its_submission() -> None:
    before = progress("submitted", submitted_on=D(2026, 12, 28), accept_due=D(2027, 1, 4))
    assert recounted(before, WEEKENDS_ONLY, Limits()) == before
    assert recounted(before, NEW_YEAR_OFF, Limits()).accept_due == D(2027, 1, 5)


def test_an_accepted_work_keeps_its_extension() -> None:
    before = progress("accepted", accepted_on=D(2026, 12, 21), decision_due=D(2027, 1, 11), extended=False)
    assert recounted(before, NEW_YEAR_OFF, Limits()).decision_due == D(2027, 1, 12)
    extended = progress("accepted", accepted_on=D(2026, 12, 21), decision_due=D(2027, 1, 25), extended=True)
    assert recounted(extended, NEW_YEAR_OFF, Limits()).decision_due == D(2027, 1, 26)


def test_closed_work_is_left_alone() -> None:
    done = progress("approved", accepted_on=D(2026, 12, 21), decision_due=D(2027, 1, 11))
    assert recounted(done, NEW_YEAR_OFF, Limits()) == done


def test_a_deadline_names_only_the_unloaded_years_it_was_counted_through() -> None:
    loaded = WorkingCalendar.of(range(2004, 2027), [])
    assert unloaded_years(loaded, D(2026, 12, 7), D(2026, 12, 14)) == []  # next year's absence changes nothing
    assert unloaded_years(loaded, D(2026, 12, 28), D(2027, 1, 4)) == [2027]
    assert unloaded_years(loaded, D(2026, 12, 31), D(2027, 1, 7)) == [2027]
    assert unloaded_years(WorkingCalendar.of([2026, 2028], []), D(2027, 12, 20), D(2028, 1, 10)) == [2027]
    assert unloaded_years(loaded, None, D(2027, 1, 4)) == [] and unloaded_years(loaded, D(2027, 1, 4), None) == []


def test_the_deadline_is_counted_from_the_current_step() -> None:
    assert counted_from("submitted", D(2026, 12, 1), None) == D(2026, 12, 1)
    assert counted_from("accepted", D(2026, 12, 1), D(2026, 12, 3)) == D(2026, 12, 3)
    assert counted_from("approved", D(2026, 12, 1), D(2026, 12, 3)) is None
