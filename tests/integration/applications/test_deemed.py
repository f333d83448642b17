"""视为受理 with the clock fixed, and the working calendar the deadlines are counted on: the
administrator loads a year; until then a year without data counts weekends only and says so."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

from services.applications.data.workflow import load_workflow
from services.applications.handlers.deadlines_job import deem_overdue
from services.applications.model import deadlines
from services.applications.repository.calendar import calendar_for

from .conftest import Desk
from .flow import accepted_by, outbox, records, set_columns, submitted_change, uow_of

FLOW = load_workflow()
ADMIN = {"account_id": "admin-1", "role": "admin", "jurisdiction": "000000", "username": "admin"}


async def _row(desk: Desk, work_id: str) -> dict[str, object]:
    conn = await desk.db()
    try:
        row = await conn.fetchrow(
            "SELECT state, deemed, submitted_on, accept_due, accepted_on, decision_due FROM applications WHERE id = $1",
            work_id,
        )
    finally:
        await conn.close()
    assert row is not None
    return dict(row.items())


async def test_deemed_accepted_the_day_after_accept_due(desk: Desk) -> None:
    filed = await submitted_change(desk)
    # the clock fixed: submitted on 2026-09-30, due after 国庆 on 2026-10-13 (10-8, 9, 10 Sat worked, 12, 13)
    await set_columns(desk, filed.id, submitted_on=dt.date(2026, 9, 30), accept_due=dt.date(2026, 10, 13))
    assert await deem_overdue(uow_of(desk), workflow=FLOW, today=dt.date(2026, 10, 13)) == 0  # still in time
    assert await deem_overdue(uow_of(desk), workflow=FLOW, today=dt.date(2026, 10, 14)) == 1
    row = await _row(desk, filed.id)
    assert (row["state"], row["deemed"], row["accepted_on"]) == ("accepted", True, dt.date(2026, 9, 30))
    conn = await desk.db()
    try:
        calendar = await calendar_for(conn, 2025, 2027)
    finally:
        await conn.close()
    assert row["decision_due"] == deadlines.decision_due(calendar, dt.date(2026, 9, 30), deadlines.Limits())
    assert row["decision_due"] == dt.date(2026, 10, 27)  # 10-8, 9, 10 (Sat, worked), 12…16, 19…23, 26, 27
    last = (await records(desk, filed))[-1]
    assert (last["action"], last["action_label"], last["actor_role"]) == ("deem", "视为受理", "system")
    accepted = dict(await outbox(desk, filed.id))["application_accepted"]
    assert accepted["deemed"] is True and accepted["accepted_on"] == "2026-09-30"
    assert await deem_overdue(uow_of(desk), workflow=FLOW, today=dt.date(2026, 10, 20)) == 0  # once


async def test_accepted_or_withdrawn_work_is_never_deemed(desk: Desk) -> None:
    accepted = await submitted_change(desk)
    await accepted_by(desk, accepted, desk.authority(roles=("acceptance",)))
    withdrawn = await submitted_change(desk, credit_code="91110000MA01ABCD4X")
    await desk.client.post(
        f"/works/{withdrawn.id}/actions",
        headers=withdrawn.headers,
        json={"action": "withdraw", "expected_version": withdrawn.version},
    )
    for filed in (accepted, withdrawn):
        await set_columns(desk, filed.id, accept_due=dt.date(2026, 1, 5))
    assert await deem_overdue(uow_of(desk), workflow=FLOW, today=dt.date(2026, 12, 1)) == 0
    assert (await _row(desk, accepted.id))["deemed"] is False


async def test_a_year_without_data_warns_until_the_administrator_loads_it(desk: Desk) -> None:
    filed = await submitted_change(desk)
    await set_columns(desk, filed.id, submitted_on=dt.date(2026, 12, 28), accept_due=dt.date(2027, 1, 4))
    status = (await desk.client.get(f"/works/{filed.id}/workflow", headers=filed.headers)).json()
    assert status["deadlines"]["calendar_missing_years"] == [2027]
    assert status["deadlines"]["calendar_warning"].startswith("2027年放假安排尚未载入")
    assert (await desk.client.get("/calendar/2027", headers=filed.headers)).json()["loaded"] is False
    notice = {"source": "测试通知", "rest_days": [{"day": "2027-01-01", "name": "元旦"}], "work_days": []}
    refused = await desk.client.put("/calendar/2027", json=notice, headers=desk.authority())
    assert refused.status_code == 403 and refused.json()["code"] == "applications.administrator_only"
    loaded = await desk.client.put("/calendar/2027", json=notice, headers=desk.sign(**ADMIN))
    assert loaded.status_code == 200, loaded.text
    assert loaded.json()["rest_days"] == [{"day": "2027-01-01", "name": "元旦"}]
    after = (await desk.client.get(f"/works/{filed.id}/workflow", headers=filed.headers)).json()
    assert after["deadlines"]["calendar_missing_years"] == [] and after["deadlines"]["calendar_warning"] is None
    # counted again on the loaded year: 12-29, 12-30, 12-31, (1-1 元旦 off), 1-4, 1-5
    assert after["deadlines"]["accept_due"] == "2027-01-05"


async def test_a_bad_notice_is_refused_naming_the_day(desk: Desk) -> None:
    admin = desk.sign(**ADMIN)
    weekday = {"source": "x", "rest_days": [], "work_days": [{"day": "2027-01-04"}]}
    answer = await desk.client.put("/calendar/2027", json=weekday, headers=admin)
    assert answer.status_code == 400 and answer.json()["details"]["field"] == "$.work_days[0]"
    elsewhere = {"source": "x", "rest_days": [{"day": "2028-01-01"}]}
    assert (await desk.client.put("/calendar/2027", json=elsewhere, headers=admin)).json()["details"]["field"] == (
        "$.rest_days[0]"
    )
    assert (await desk.client.put("/calendar/1800", json=elsewhere, headers=admin)).status_code == 400
    seeded = (await desk.client.get("/calendar/2026", headers=admin)).json()
    assert seeded["loaded"] and seeded["source"] == "国务院办公厅放假安排（2004–2026年）"  # never the package's name
    assert {"day": "2026-10-10", "name": "国庆节"} in seeded["work_days"]


async def _cli(path: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """``python -m services.applications calendar load FILE`` in a process of its own."""
    command = [sys.executable, "-m", "services.applications", "calendar", "load", str(path)]
    return await asyncio.to_thread(
        subprocess.run, command, capture_output=True, text=True, env=env, timeout=60, check=False
    )


async def test_the_command_line_loads_a_year_from_a_file(desk: Desk, tmp_path: Path) -> None:
    notice = {
        "year": 2027,
        "source": "测试通知",
        "rest_days": [{"day": "2027-01-01", "name": "元旦"}],
        "work_days": [{"day": "2027-01-09", "name": "测试调休"}],
    }
    path = tmp_path / "2027.json"
    path.write_text(json.dumps(notice, ensure_ascii=False), encoding="utf-8")
    env = {
        "DATABASE_URL": desk.settings.database_url,
        "DATABASE_NAME": desk.settings.database_name,
        "PATH": "/usr/bin:/bin",
        "EMBEDDED": "true",
    }
    done = await _cli(path, env)
    assert done.returncode == 0, done.stderr
    assert "已载入2027年放假安排" in done.stdout
    year = (await desk.client.get("/calendar/2027", headers=desk.sign(**ADMIN))).json()
    assert year["loaded"] and year["work_days"] == [{"day": "2027-01-09", "name": "测试调休"}]
    path.write_text("{}", encoding="utf-8")
    bad = await _cli(path, env)
    assert bad.returncode == 2 and "放假安排文件格式有误" in bad.stderr
