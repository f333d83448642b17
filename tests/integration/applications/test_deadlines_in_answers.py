"""The deadlines in the answers a unit reads: the 工作列表 rows carry the current deadline, the
working days left and overdue (no /workflow call per row); 查看 carries accept_due, decision_due
and 视为受理's day (the calendar's warnings: test_calendar_warnings.py)."""

from __future__ import annotations

import datetime as dt

from services.applications.model import deadlines
from services.applications.repository.calendar import calendar_for

from .conftest import Desk
from .flow import accepted_by, beijing_today, submitted_change


async def _set(desk: Desk, work_id: str, sql: str, *args: object) -> None:
    conn = await desk.db()
    try:
        await conn.execute(sql, work_id, *args)
    finally:
        await conn.close()


async def test_the_work_list_rows_carry_the_deadline_and_the_time_left(desk: Desk) -> None:
    filed = await submitted_change(desk)
    [row] = (await desk.client.get("/works", headers=filed.headers)).json()["items"]
    work = (await desk.client.get(f"/works/{filed.id}", headers=filed.headers)).json()
    assert row["deadline"] == work["accept_due"] and work["accept_due"] is not None
    assert row["working_days_left"] == 5 and row["overdue"] is False
    assert work["working_days_left"] == 5 and work["decision_due"] is None and work["deemed_accepted_on"] is None

    late = beijing_today() - dt.timedelta(days=10)
    await _set(desk, filed.id, "UPDATE applications SET accept_due = $2 WHERE id = $1", late)
    [row] = (await desk.client.get("/works", headers=filed.headers)).json()["items"]
    assert row["deadline"] == late.isoformat() and row["overdue"] is True and row["working_days_left"] < 0


async def test_accepted_and_deemed_work_shows_its_decision_due(desk: Desk) -> None:
    filed = await submitted_change(desk)
    await accepted_by(desk, filed, desk.authority())
    work = (await desk.client.get(f"/works/{filed.id}", headers=filed.headers)).json()
    conn = await desk.db()
    try:
        calendar = await calendar_for(conn, 2004, 2030)
    finally:
        await conn.close()
    today = beijing_today()
    assert work["decision_due"] == deadlines.decision_due(calendar, today, deadlines.Limits()).isoformat()
    assert work["deadline"] == work["decision_due"] and work["deemed_accepted_on"] is None
    await _set(desk, filed.id, "UPDATE applications SET deemed = true WHERE id = $1")
    deemed = (await desk.client.get(f"/works/{filed.id}", headers=filed.headers)).json()
    assert deemed["deemed_accepted_on"] == today.isoformat()
