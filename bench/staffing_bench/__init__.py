"""Staffing benchmarks (issue 9, ``make bench``): a unit's roster through the gateway at 1 connection,
with 1,000,000 persons across 30,000 units loaded first (see ``seed``).

Starts its own embedded platform (temporary directory, free ports), registers and logs in the bench
unit through the portal, waits until staffing's ``units`` replica has it (identity's event), then
COPYs the roster straight into staffing's database and VACUUMs (ANALYZE) it, as autovacuum would
soon after. Measured, in this order:
  * the list of the unit's 500 persons (``GET /api/staffing/persons?page_size=500``, wrk);
  * 满足情况 for those 500 persons and 3 categories (``POST /api/staffing/fulfilment``, wrk);
  * 添加人员 (``POST /api/staffing/persons``), each a fresh valid 居民身份证 number, sequential from
    one aiohttp client (wrk cannot vary the body): bare, and with 3 scans attached;
  * the ceilings of the same run: the bare Litestar endpoint (wrk) and ``GET /api/identity/me``
    through the gateway (wrk, and from the same aiohttp client as the adds, which shows that
    client's own share of the add figures).
The seeding time is reported too, but it is setup, not a measured figure.
"""

from __future__ import annotations

import asyncio
import json
import tempfile
import time
import urllib.request
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import aiohttp
import asyncpg

from deploy.local.stack import Stack
from services.kernel.db import database_url_for

from ..documents_bench import page_csrf_token, percentile
from ..platform_bench import bare_server, login_cookie, measure, started_platform
from ..wrk import WrkResult
from .seed import BENCH_PERSONS, UNITS, Keys, added_number, expected_counted, load_roster

__all__ = ["run"]

Row = tuple[str, float, str]
ADDS = 300
WARM_UP = 10
REPLICA_TIMEOUT = 60.0
FULFILMENT = {
    "requests": [
        {"category": "工程测量", "level": "甲级"},
        {"category": "地理信息系统工程", "level": "乙级"},
        {"category": "界线与不动产测绘", "level": "乙级"},
    ]
}


class Visitor:
    """The logged-in bench unit in the portal: its cookie, CSRF token and unit id."""

    def __init__(self, portal: str) -> None:
        self.portal = portal
        self.cookie = login_cookie(portal)
        self.reading = {"Cookie": self.cookie}
        self.writing = {**self.reading, "X-CSRF-Token": page_csrf_token(portal, self.cookie)}
        self.json = {**self.writing, "Content-Type": "application/json"}
        self.unit_id: str = self.get("/api/identity/me")["unit_id"]

    def get(self, path: str) -> Any:
        request = urllib.request.Request(self.portal + path, headers=self.reading)
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.loads(response.read())

    def post(self, path: str, body: object) -> Any:
        data = json.dumps(body, ensure_ascii=False).encode()
        request = urllib.request.Request(self.portal + path, data=data, headers=self.json, method="POST")
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.loads(response.read())


def a_person(index: int, documents: list[dict[str, str]]) -> bytes:
    """The 添加人员 form of the n-th added person: a 测绘专业技术人员 中级 with a fresh number."""
    person = {
        "name": "李四",
        "id_number": added_number(index),
        "category": "测绘专业技术人员",
        "title_level": "中级",
        "title_name": "工程师",
        "major": "测绘工程",
        "education": "大学本科",
        "school": "武汉大学",
        "hired_on": "2015-07-01",
        "documents": documents,
    }
    return json.dumps(person, ensure_ascii=False).encode()


async def _sequential(method: str, url: str, headers: dict[str, str], bodies: Sequence[bytes | None]) -> list[float]:
    """Seconds per request, one after another on one kept-alive connection; fails on a refusal
    (a refused request is fast, and its time would pass for the real thing)."""
    timings: list[float] = []
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=1)) as session:
        for body in bodies:
            started = time.perf_counter()
            async with session.request(method, url, data=body, headers=headers) as response:
                answer = await response.read()
            timings.append(time.perf_counter() - started)
            if response.status >= 300:
                raise RuntimeError(f"{method} {url} answered {response.status}: {answer[:300]!r}")
    return timings[WARM_UP:]


def _figures(label: str, timings: list[float], goal: str) -> list[Row]:
    return [
        (f"{label}, 1 conn p50", percentile(timings, 0.50), "ms"),
        (f"{label}, 1 conn p99", percentile(timings, 0.99), f"ms ({goal}{len(timings)} requests)"),
    ]


def wrk_figures(label: str, result: WrkResult, goal: str) -> list[Row]:
    if result.errors:  # a refusal is fast: its latency would pass for the real answer
        raise RuntimeError(f"{label}: {result.errors} requests answered with an error")
    return [
        (f"{label}, 1 conn p50", result.p50_ms, "ms"),
        (f"{label}, 1 conn p99", result.p99_ms, f"ms ({goal}{result.rps:,.0f} req/s)"),
    ]


def _wait_for_unit(dsn: str, unit_id: str) -> None:
    """Until identity's UnitAccountRegisteredV2 has reached staffing's units replica."""

    async def poll() -> None:
        conn = await asyncpg.connect(dsn)
        try:
            deadline = time.monotonic() + REPLICA_TIMEOUT
            while not await conn.fetchval("SELECT 1 FROM units WHERE unit_id = $1", unit_id):
                if time.monotonic() > deadline:
                    raise TimeoutError(f"staffing's units replica did not receive unit {unit_id}")
                await asyncio.sleep(0.2)
        finally:
            await conn.close()

    asyncio.run(poll())


def _seeded(stack: Stack, visitor: Visitor) -> Row:
    dsn = database_url_for(stack.database_url(), "qual_staffing")
    secrets = json.loads((stack.config.data_dir / "keys.json").read_text())["secrets"]
    keys = Keys(secrets["STAFFING_DATA_KEY"], secrets["STAFFING_HASH_KEY"])
    _wait_for_unit(dsn, visitor.unit_id)
    started = time.perf_counter()
    persons = load_roster(dsn, keys, visitor.unit_id)
    label = f"staffing: seed {persons:,} persons / {UNITS:,} units (COPY + VACUUM ANALYZE; setup, not measured)"
    return (label, time.perf_counter() - started, "s")


def _check_roster(visitor: Visitor) -> None:
    """The list and 满足情况 answer what the seed holds, so the timings are of the real answers."""
    page = visitor.get(f"/api/staffing/persons?page_size={BENCH_PERSONS}")
    if (len(page["items"]), page["total"], page["counted"]) != (BENCH_PERSONS, BENCH_PERSONS, expected_counted()):
        raise RuntimeError(f"unexpected roster: {len(page['items'])} items, {page['total']} total, {page['counted']}")
    evaluation = visitor.post("/api/staffing/fulfilment", FULFILMENT)
    if len(evaluation["results"]) != len(FULFILMENT["requests"]):
        raise RuntimeError(f"unexpected 满足情况: {str(evaluation)[:300]}")


def _read_rows(visitor: Visitor) -> list[Row]:
    persons = f"{visitor.portal}/api/staffing/persons?page_size={BENCH_PERSONS}"
    listed = measure(persons, connections=1, headers=visitor.reading)
    fulfilment = measure(
        f"{visitor.portal}/api/staffing/fulfilment",
        connections=1,
        method="POST",
        body=json.dumps(FULFILMENT, ensure_ascii=False),
        headers=visitor.json,
    )
    return [
        *wrk_figures(f"staffing: list of a unit's {BENCH_PERSONS} persons", listed, "goal p99 ≤ 30; "),
        *wrk_figures(f"staffing: 满足情况, {BENCH_PERSONS} persons × 3 categories", fulfilment, "goal p99 ≤ 30; "),
    ]


def _scans(visitor: Visitor) -> list[dict[str, str]]:
    """Three of the unit's documents (known to staffing) for a 测绘专业 person: the realistic 添加."""
    wanted = {"职称证书", "社保缴纳证明", "身份证"}
    found: dict[str, str] = {}
    for person in visitor.get(f"/api/staffing/persons?page_size={BENCH_PERSONS}")["items"]:
        for document in person["documents"]:
            found.setdefault(document["purpose"], document["document_id"])
    return [{"purpose": purpose, "document_id": found[purpose]} for purpose in sorted(wanted)]


def _add_rows(visitor: Visitor) -> list[Row]:
    url = f"{visitor.portal}/api/staffing/persons"
    scans = _scans(visitor)
    count = WARM_UP + ADDS
    bare = [a_person(n, []) for n in range(count)]
    attached = [a_person(count + n, scans) for n in range(count)]
    goal = "goal p99 ≤ 15; "
    return [
        *_figures(
            "staffing: 添加人员 via gateway (aiohttp)", asyncio.run(_sequential("POST", url, visitor.json, bare)), goal
        ),
        *_figures(
            "staffing: 添加人员 with 3 scans via gateway (aiohttp)",
            asyncio.run(_sequential("POST", url, visitor.json, attached)),
            goal,
        ),
    ]


def _ceiling_rows(visitor: Visitor) -> list[Row]:
    with bare_server() as url:
        bare = measure(url, connections=1)
    me_url = f"{visitor.portal}/api/identity/me"
    me = measure(me_url, connections=1, headers=visitor.reading)
    me_client = asyncio.run(_sequential("GET", me_url, visitor.reading, [None] * (WARM_UP + ADDS)))
    return [
        ("bare Litestar endpoint, 1 conn p99", bare.p99_ms, f"ms ({bare.rps:,.0f} req/s)"),
        *wrk_figures("GET /api/identity/me via gateway (wrk)", me, ""),
        *_figures("GET /api/identity/me via gateway (aiohttp)", me_client, ""),
    ]


def run() -> list[Row]:
    with tempfile.TemporaryDirectory() as tmp:
        stack = started_platform(Path(tmp))
        try:
            visitor = Visitor(stack.config.portal_url.rstrip("/"))
            rows = [_seeded(stack, visitor)]
            _check_roster(visitor)
            steps: list[Callable[[Visitor], list[Row]]] = [_read_rows, _add_rows, _ceiling_rows]
            for step in steps:
                rows += step(visitor)
            return rows
        finally:
            stack.stop()
