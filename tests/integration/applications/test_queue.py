"""待办 queue: the authority's jurisdiction only (自然资源部 all), filters, sort by deadline, holder,
working days left and overdue; and the plan a provincial page takes over 100,000 works."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from typing import Any

from services.applications.model.provinces import PROVINCES

from .conftest import Desk
from .flow import act, beijing_today, ok, submitted_change

_INSERT = """
INSERT INTO applications (id, unit_id, credit_code, unit_name, application_type, certificate_type, jurisdiction,
  state, revision, version, submitted_at, submitted_on, accept_due, accepted_on, decision_due)
VALUES ($1, $2, $3, $4, $5, '乙级资质证书', $6, $7, 0, 2, now(), $8, $9, $10, $11)"""


async def _work(
    desk: Desk, *, jurisdiction: str, state: str, due: dt.date, name: str = "某测绘公司", kind: str = "资质申请"
) -> str:
    work_id = str(uuid.uuid4())
    accepted = state == "accepted"
    conn = await desk.db()
    try:
        await conn.execute(
            _INSERT,
            work_id,
            str(uuid.uuid4()),
            f"91{jurisdiction}MA{uuid.uuid4().hex[:8].upper()}",
            name,
            kind,
            jurisdiction,
            state,
            due - dt.timedelta(days=7),
            None if accepted else due,
            due - dt.timedelta(days=20) if accepted else None,
            due if accepted else None,
        )
    finally:
        await conn.close()
    return work_id


async def _queue(desk: Desk, headers: dict[str, str], **params: object) -> dict[str, Any]:
    answer = await desk.client.get("/queue", params={k: str(v) for k, v in params.items()}, headers=headers)
    assert answer.status_code == 200, answer.text
    return dict(answer.json())


async def test_a_province_sees_its_own_open_work_by_deadline(desk: Desk) -> None:
    today = beijing_today()
    # overdue work is accepted (a submitted one past its 受理 deadline is the 视为受理 job's to move)
    late = await _work(desk, jurisdiction="110000", state="accepted", due=today - dt.timedelta(days=3))
    soon = await _work(desk, jurisdiction="110000", state="submitted", due=today + dt.timedelta(days=2))
    later = await _work(desk, jurisdiction="110000", state="submitted", due=today + dt.timedelta(days=9))
    await _work(desk, jurisdiction="110000", state="approved", due=today)
    elsewhere = await _work(desk, jurisdiction="320000", state="submitted", due=today)
    national = await _work(desk, jurisdiction="000000", state="submitted", due=today, kind="新单位注册")
    page = await _queue(desk, desk.authority("110000"))
    items = page["items"]
    assert isinstance(items, list)
    assert [i["application_id"] for i in items] == [late, soon, later]
    assert page["total"] == 3
    assert items[0]["overdue"] is True and items[0]["working_days_left"] < 0
    assert items[1]["overdue"] is False and items[1]["state_label"] == "已提交"
    everything = await _queue(desk, desk.authority("000000"), page_size=100)
    ids = {i["application_id"] for i in everything["items"]}
    assert {late, soon, later, elsewhere, national} <= ids
    reverse = await _queue(desk, desk.authority("110000"), sort="-deadline")
    assert [i["application_id"] for i in reverse["items"]] == [later, soon, late]


async def test_filters_search_and_pages(desk: Desk) -> None:
    today = beijing_today()
    overdue = await _work(
        desk, jurisdiction="440000", state="accepted", due=today - dt.timedelta(days=1), name="广州南方测绘有限公司"
    )
    fresh = await _work(
        desk,
        jurisdiction="440000",
        state="accepted",
        due=today + dt.timedelta(days=5),
        name="深圳地信科技有限公司",
        kind="补领证书",
    )
    done = await _work(desk, jurisdiction="440000", state="approved", due=today, name="佛山测绘院")
    headers = desk.authority("440000")
    assert [i["application_id"] for i in (await _queue(desk, headers, overdue="true"))["items"]] == [overdue]
    assert [i["application_id"] for i in (await _queue(desk, headers, overdue="false"))["items"]] == [fresh]
    assert [i["application_id"] for i in (await _queue(desk, headers, q="地信"))["items"]] == [fresh]
    assert [i["application_id"] for i in (await _queue(desk, headers, category="补领证书"))["items"]] == [fresh]
    assert [i["application_id"] for i in (await _queue(desk, headers, state="approved"))["items"]] == [done]
    assert [i["application_id"] for i in (await _queue(desk, headers, q="100%_"))["items"]] == []
    second = await _queue(desk, headers, page=2, page_size=1)
    assert second["total"] == 2 and [i["application_id"] for i in second["items"]] == [fresh]
    bad = await desk.client.get("/queue", params={"state": "lost"}, headers=headers)
    assert bad.status_code == 400 and bad.json()["details"]["field"] == "$.state"
    assert (await desk.client.get("/queue", params={"page_size": "1000"}, headers=headers)).status_code == 400


async def test_the_holder_is_shown_and_units_never_see_the_queue(desk: Desk) -> None:
    filed = await submitted_change(desk)
    clerk = desk.sign(
        account_id="clerk-7", role="authority", jurisdiction="110000", roles=("acceptance",), username="shouli07"
    )
    await ok(await act(desk, filed, clerk, "claim"))
    item = (await _queue(desk, clerk, q=filed.certificate[:0] or "91110000MA01ABCD1X"))["items"][0]
    assert item["application_id"] == filed.id and item["holder"]["name"] == "shouli07"
    assert (await desk.client.get("/queue", headers=filed.headers)).status_code == 403
    assert (await desk.client.get("/queue", headers=desk.authority("110000"))).json()["total"] == 1


async def test_a_provincial_page_uses_the_queue_index_over_100000_works(desk: Desk) -> None:
    provinces = [code for code in PROVINCES if code != "000000"]
    assert len(provinces) == 31
    conn = await desk.db()
    try:
        await conn.execute(
            """INSERT INTO applications (id, unit_id, credit_code, unit_name, application_type, certificate_type,
                 jurisdiction, state, revision, submitted_on, accept_due, accepted_on, decision_due)
               SELECT gen_random_uuid(), gen_random_uuid(), '91' || p.code || 'MA' || lpad(i::text, 8, '0'),
                 '测绘单位' || i, '资质申请', '乙级资质证书', p.code,
                 (ARRAY['draft', 'submitted', 'accepted', 'approved'])[1 + i % 4], 0, current_date,
                 current_date + (i % 30), current_date, current_date + (i % 40)
               FROM generate_series(1, 100000) AS i, LATERAL (SELECT ($1::text[])[1 + i % 31] AS code) AS p""",
            provinces,
        )
        await conn.execute("VACUUM ANALYZE applications")
        from services.applications.repository import queue

        plans = {}
        for jurisdiction in ("350000", "000000"):
            wanted = queue.QueueFilter(
                jurisdiction=jurisdiction, states=("submitted", "accepted"), today=beijing_today()
            )
            for name, (sql, args) in (
                ("page", queue.query(wanted, limit=20, offset=0)),
                ("count", queue.count_query(wanted)),
            ):
                plans[jurisdiction, name] = json.dumps(await conn.fetchval(f"EXPLAIN (FORMAT JSON) {sql}", *args))
    finally:
        await conn.close()
    # a province walks (jurisdiction, deadline, id) in order, 自然资源部 (deadline, id): no sort
    assert "applications_queue_deadline" in plans["350000", "page"]
    assert "applications_open_deadline" in plans["000000", "page"]
    for (jurisdiction, name), plan in plans.items():
        assert '"Seq Scan"' not in plan, (jurisdiction, name)
        assert '"Node Type": "Sort"' not in plan and "WindowAgg" not in plan, (jurisdiction, name)
    assert "Index Scan" in plans["350000", "count"] or "Index Only Scan" in plans["350000", "count"]
    page = await _queue(desk, desk.authority("350000"), page_size=20)
    assert page["total"] > 1000 and len(page["items"]) == 20
    dues = [i["deadline"] for i in page["items"]]
    assert dues == sorted(dues)
    national = await _queue(desk, desk.authority("000000"), page_size=20, page=3)
    assert national["total"] == queue.COUNT_CAP and national["total_capped"] is True
    assert len(national["items"]) == 20
