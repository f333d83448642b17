"""A year whose 放假安排 is not loaded (issue 18, defect 17), with the clock fixed on a fresh
install's day (2026-12-07: the seed holds 2004–2026, 2027 is 25 days away): an officer is warned
only on the work whose deadline was counted into 2027, in the 待办 row and on the review screen;
the administrator is reminded of 2027 (GET /calendar/reminder) until it is loaded."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from services.applications import clock

from .conftest import Desk
from .flow import set_columns, submitted_change

FRESH_INSTALL_DAY = dt.date(2026, 12, 7)  # a Monday
ADMIN = {"account_id": "admin-1", "role": "admin", "jurisdiction": "000000", "username": "admin"}
NOTICE_2027 = {"source": "国务院办公厅关于2027年部分节假日安排的通知", "rest_days": [{"day": "2027-01-01"}]}


@pytest.fixture
def on_day(monkeypatch: pytest.MonkeyPatch) -> Callable[[dt.date], None]:
    """Fix applications' clock on a day (every handler asks ``clock.today()``)."""

    def fix(day: dt.date) -> None:
        monkeypatch.setattr(clock, "today", lambda: day)

    return fix


async def _json(desk: Desk, path: str, headers: dict[str, str]) -> Any:
    answer = await desk.client.get(path, headers=headers)
    assert answer.status_code == 200, answer.text
    return answer.json()


async def test_only_the_work_whose_deadline_runs_into_2027_is_warned_of(
    desk: Desk, on_day: Callable[[dt.date], None]
) -> None:
    on_day(FRESH_INSTALL_DAY)
    within = await submitted_change(desk)  # 受理 due 5 工作日 later: 12-08 … 12-11, 12-14
    across = await submitted_change(desk, credit_code="91110000MA01ABCD4X")
    await set_columns(desk, across.id, submitted_on=dt.date(2026, 12, 28), accept_due=dt.date(2027, 1, 4))
    officer = desk.authority()

    page = await _json(desk, "/queue", officer)
    rows = {item["application_id"]: item for item in page["items"]}
    assert rows[within.id]["deadline"] == "2026-12-14"
    assert (rows[within.id]["calendar_missing_years"], rows[within.id]["calendar_warning"]) == ([], None)
    assert rows[across.id]["calendar_missing_years"] == [2027]
    assert rows[across.id]["calendar_warning"].startswith("2027年放假安排尚未载入")
    assert page["calendar_missing_years"] == [2027]  # the rows' own, nothing more

    for filed, years in ((within, []), (across, [2027])):
        status = await _json(desk, f"/works/{filed.id}/workflow", officer)
        assert status["deadlines"]["calendar_missing_years"] == years, filed.id
        assert (status["deadlines"]["calendar_warning"] is None) == (not years)


async def test_a_fresh_install_queue_warns_of_no_year(desk: Desk, on_day: Callable[[dt.date], None]) -> None:
    on_day(FRESH_INSTALL_DAY)
    await submitted_change(desk)
    page = await _json(desk, "/queue", desk.authority())
    assert len(page["items"]) == 1
    assert (page["calendar_missing_years"], page["calendar_warning"]) == ([], None)
    assert page["items"][0]["calendar_warning"] is None
    empty = await _json(desk, "/queue", desk.authority("440000"))
    assert (empty["items"], empty["calendar_missing_years"], empty["calendar_warning"]) == ([], [], None)


async def test_the_administrator_is_reminded_of_2027_until_it_is_loaded(
    desk: Desk, on_day: Callable[[dt.date], None]
) -> None:
    admin = desk.sign(**ADMIN)
    on_day(dt.date(2026, 6, 1))  # a deadline counted from June cannot reach 2027
    assert (await _json(desk, "/calendar/reminder", admin))["missing_years"] == []
    on_day(FRESH_INSTALL_DAY)
    reminder = await _json(desk, "/calendar/reminder", admin)
    assert reminder == {"today": "2026-12-07", "horizon_days": 60, "missing_years": [2027]}
    loaded = await desk.client.put("/calendar/2027", json=NOTICE_2027, headers=admin)
    assert loaded.status_code == 200, loaded.text
    assert (await _json(desk, "/calendar/reminder", admin))["missing_years"] == []
