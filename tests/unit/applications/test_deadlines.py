"""Deadlines counted again when a year's 放假安排 is loaded: from the dates of 提交 and 受理, with the
extension kept; work in other states is left alone."""

from __future__ import annotations

import datetime as dt

from services.applications.handlers.calendar import recounted
from services.applications.model.calendar import REST, SpecialDay, WorkingCalendar
from services.applications.model.deadlines import Limits
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
