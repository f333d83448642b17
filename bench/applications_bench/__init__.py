"""Applications benchmarks (issue 10, ``make bench``): the authority's 待办 queue, a unit's work list
and 提交 of a large 资质申请, through the gateway at 1 connection, with 100,000 applications across
the 31 provinces loaded first (see ``seed``).

Starts its own embedded platform (temporary directory, free ports), registers and logs in the bench
unit (福建省) through the portal, waits until the staffing and applications replicas have it
(identity's event), then COPYs the unit's complete roster (500 persons, 100 instruments, 30
projects; ``roster``) into staffing's database and the 100,000 applications with their pages and
审批记录 into the applications database, and VACUUMs (ANALYZE) them, as autovacuum would soon after.
A provincial authority (福建, 受理/审查/审批) and 自然资源部 are created with identity's command and
log in through the 登录 form. Measured, in this order:
  * a provincial 待办 page: ``GET /api/applications/queue?state=submitted,accepted&sort=deadline``
    (wrk), and the same for 自然资源部 (every province: the whole country's open work);
  * the unit's work list (``GET /api/applications/works``, wrk);
  * 提交 of a 资质申请 乙级 with 500 persons, 100 instruments and 40 uploaded scans (``filing``):
    each a fresh work, filled and submitted, then withdrawn; only the 提交 is timed;
  * the share of 满足情况 in it: the same ``POST /api/staffing/fulfilment`` (wrk);
  * the ceilings of the same run: the bare Litestar endpoint and ``GET /api/identity/me`` (wrk).
The seeding time is reported too, but it is setup, not a measured figure.
"""

from __future__ import annotations

import asyncio
import json
import tempfile
import time
from pathlib import Path

import asyncpg

from deploy.local.stack import Stack
from services.kernel.db import database_url_for

from ..documents_bench import percentile
from ..platform_bench import bare_server, measure, started_platform
from ..staffing_bench import wrk_figures
from ..staffing_bench.seed import Keys
from .filing import DOCUMENTS, SCOPE, Filing, uploaded_scans
from .portal import Desk, authority_cookie, unit_cookie
from .roster import INSTRUMENTS, PERSONS, load_bench_roster
from .seed import BENCH_PROVINCE, load_applications
from .steps import ServiceDesk

__all__ = ["run"]

Row = tuple[str, float, str]
SUBMISSIONS = 200
STEPS = 100
WARM_UP = 10
REPLICA_TIMEOUT = 60.0
QUEUE = "/api/applications/queue?state=submitted,accepted&sort=deadline&page_size=20"
WORKS = "/api/applications/works?page_size=20"
NATIONAL = "000000"


async def _replica_row(dsn: str, unit_id: str) -> asyncpg.Record:
    """The unit's row in a service's ``units`` replica, once identity's event has reached it."""
    conn = await asyncpg.connect(dsn)
    try:
        deadline = time.monotonic() + REPLICA_TIMEOUT
        while (row := await conn.fetchrow("SELECT * FROM units WHERE unit_id = $1", unit_id)) is None:
            if time.monotonic() > deadline:
                raise TimeoutError(f"{dsn.rsplit('/', 1)[-1]}'s units replica did not receive unit {unit_id}")
            await asyncio.sleep(0.2)
        return row
    finally:
        await conn.close()


def _seeded(stack: Stack, unit_id: str) -> list[Row]:
    staffing = database_url_for(stack.database_url(), "qual_staffing")
    applications = database_url_for(stack.database_url(), "qual_applications")
    secrets = json.loads((stack.config.data_dir / "keys.json").read_text())["secrets"]
    asyncio.run(_replica_row(staffing, unit_id))
    unit = asyncio.run(_replica_row(applications, unit_id))
    started = time.perf_counter()
    persons = load_bench_roster(staffing, Keys(secrets["STAFFING_DATA_KEY"], secrets["STAFFING_HASH_KEY"]), unit_id)
    roster_seconds = time.perf_counter() - started
    started = time.perf_counter()
    works = load_applications(
        applications, unit_id=unit_id, unit_name=unit["unit_name"], credit_code=unit["credit_code"]
    )
    return [
        (f"applications: seed {works:,} applications, 31 provinces (COPY + VACUUM ANALYZE; setup)",
         time.perf_counter() - started, "s"),
        (f"applications: seed the unit's roster, {persons} persons (COPY + VACUUM ANALYZE; setup)",
         roster_seconds, "s"),
    ]  # fmt: skip


def _checked_queue(desk: Desk, label: str) -> int:
    """The queue answers a full page sorted by deadline, so the timings are of the real answer."""
    page = desk.call("GET", QUEUE)
    deadlines = [item["deadline"] for item in page["items"]]
    if len(deadlines) != 20 or deadlines != sorted(deadlines) or page["total"] < 100:
        raise RuntimeError(f"unexpected {label} queue: {page['total']} total, deadlines {deadlines}")
    return int(page["total"])


def _queue_rows(stack: Stack) -> list[Row]:
    portal = stack.config.portal_url.rstrip("/")
    rows: list[Row] = []
    for jurisdiction, label, goal in ((BENCH_PROVINCE, "provincial", "goal p99 ≤ 50; "), (NATIONAL, "自然资源部", "")):
        desk = Desk(portal, authority_cookie(stack, jurisdiction))
        total = _checked_queue(desk, label)
        found = measure(portal + QUEUE, connections=1, headers=desk.reading)
        rows += wrk_figures(f"applications: {label} 待办 page of {total:,} open works by deadline", found, goal)
        desk.close()
    return rows


def _list_rows(desk: Desk) -> list[Row]:
    listed = desk.call("GET", WORKS)
    if len(listed["items"]) != 20 or listed["total"] < 20:
        raise RuntimeError(f"unexpected work list: {str(listed)[:300]}")
    found = measure(desk.portal + WORKS, connections=1, headers=desk.reading)
    return wrk_figures(f"applications: a unit's work list ({listed['total']} works)", found, "goal p99 ≤ 20; ")


def _submission_rows(desk: Desk) -> tuple[list[Row], Filing]:
    filing = Filing(desk, uploaded_scans(desk))
    timings: list[float] = []
    evaluation = ""
    for _ in range(WARM_UP + SUBMISSIONS):
        seconds, status = filing.once()
        timings.append(seconds)
        evaluation = status.get("evaluation_overall") or ""
    measured = timings[WARM_UP:]
    label = f"applications: 提交 资质申请, {PERSONS} persons, {INSTRUMENTS} instruments, {DOCUMENTS} documents"
    return [
        (f"{label}, 1 conn p50", percentile(measured, 0.50), "ms"),
        (f"{label}, 1 conn p99", percentile(measured, 0.99),
         f"ms (goal p99 ≤ 300; {len(measured)} submissions, 满足情况 {evaluation})"),
    ], filing  # fmt: skip


def _step_rows(stack: Stack, unit_id: str, filing: Filing) -> list[Row]:
    """The snapshot and the freeze alone, as 提交 makes them (straight to the service)."""
    desk = ServiceDesk(stack)
    documents = [i for ids in filing.scans.values() for i in ids]
    snapshots = desk.repeated(lambda: desk.snapshot(unit_id, BENCH_PROVINCE), STEPS, WARM_UP)
    size = desk.answer_bytes
    freezes = desk.repeated(lambda: desk.freeze(unit_id, BENCH_PROVINCE, documents), STEPS, WARM_UP)
    desk.close()
    return [
        (
            "  of which staffing 人员装备快照 (direct), p50",
            percentile(snapshots, 0.5),
            f"ms ({size:,} bytes answered)",
        ),
        ("  of which staffing 人员装备快照 (direct), p99", percentile(snapshots, 0.99), f"ms ({STEPS} calls)"),
        (f"  of which documents 冻结 of {DOCUMENTS} (direct), p50", percentile(freezes, 0.5), "ms"),
        (f"  of which documents 冻结 of {DOCUMENTS} (direct), p99", percentile(freezes, 0.99), f"ms ({STEPS} calls)"),
    ]


def _fulfilment_rows(desk: Desk) -> list[Row]:
    """满足情况 alone, as 提交 asks staffing for it (the unit's token, the same three levels)."""
    body = json.dumps({"requests": [{"category": c, "level": "乙级"} for c in SCOPE]}, ensure_ascii=False)
    headers = {**desk.writing, "Content-Type": "application/json"}
    found = measure(f"{desk.portal}/api/staffing/fulfilment", connections=1, method="POST", body=body, headers=headers)
    return wrk_figures(f"  of which 满足情况, {PERSONS} persons × 3 categories (via gateway)", found, "")


def _ceiling_rows(desk: Desk) -> list[Row]:
    with bare_server() as url:
        bare = measure(url, connections=1)
    me = measure(f"{desk.portal}/api/identity/me", connections=1, headers=desk.reading)
    return [
        ("bare Litestar endpoint, 1 conn p50", bare.p50_ms, "ms"),
        ("bare Litestar endpoint, 1 conn p99", bare.p99_ms, f"ms ({bare.rps:,.0f} req/s)"),
        *wrk_figures("GET /api/identity/me via gateway", me, ""),
    ]


def run() -> list[Row]:
    with tempfile.TemporaryDirectory() as tmp:
        stack = started_platform(Path(tmp), DOCUMENTS_UNIT_QUOTA_BYTES=str(1 << 40))
        try:
            portal = stack.config.portal_url.rstrip("/")
            unit = Desk(portal, unit_cookie(portal))
            unit_id = unit.call("GET", "/api/identity/me")["unit_id"]
            rows = _seeded(stack, unit_id)
            rows += _queue_rows(stack)
            rows += _list_rows(unit)
            submitted, filing = _submission_rows(unit)
            rows += submitted + _fulfilment_rows(unit) + _step_rows(stack, unit_id, filing)
            rows += _ceiling_rows(unit)
            unit.close()
            return rows
        finally:
            stack.stop()
