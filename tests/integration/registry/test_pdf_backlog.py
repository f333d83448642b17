"""The PDF job's backlog leaves the 旧证 out: a legacy load marks its versions ``gets_pdf`` false,
so the job's partial index (migration 0003) holds only the 2021 versions still waiting, and the
job's query reads exactly those."""

from __future__ import annotations

import asyncio
from pathlib import Path

from services.kernel import Runtime
from services.registry.__main__ import legacy_load
from services.registry.handlers import approvals
from services.registry.repository.documents import Documents

from .conftest import Registry, approval
from .test_legacy_load import HEADER, ROWS


async def test_legacy_versions_never_wait_for_a_pdf(registry: Registry, tmp_path: Path) -> None:
    path = tmp_path / "legacy.csv"
    path.write_text(HEADER + "\n".join(ROWS[:2]) + "\n", encoding="utf-8-sig")
    assert await asyncio.to_thread(legacy_load, path, registry.settings) == 0
    runtime = registry.app.state.runtime
    assert isinstance(runtime, Runtime)
    fresh = approval(jurisdiction="110000")
    await approvals.apply_approval(fresh, runtime.uow())
    number = (await registry.certificate(fresh.unit_id))["number"]

    marks = await registry.fetch(
        "SELECT c.regime, v.gets_pdf FROM certificate_versions v JOIN certificates c ON c.id = v.certificate_id"
    )
    assert sorted((row["regime"], row["gets_pdf"]) for row in marks) == [
        ("2021", True),
        ("legacy", False),
        ("legacy", False),
    ]
    async with runtime.uow() as uow:
        waiting = await Documents(uow.conn).missing(10)
    assert [row["number"] for row in waiting] == [number]


async def test_the_job_reads_the_backlog_through_its_partial_index(registry: Registry) -> None:
    indexes = await registry.fetch(
        "SELECT indexdef FROM pg_indexes WHERE indexname = 'certificate_versions_awaiting_pdf'"
    )
    assert [row["indexdef"] for row in indexes] == [
        "CREATE INDEX certificate_versions_awaiting_pdf ON public.certificate_versions USING btree (created_at) "
        "WHERE ((pdf IS NULL) AND (NOT void) AND gets_pdf)"
    ]
    conn = await registry.db()
    try:
        await conn.execute("SET enable_seqscan = off")
        plan = "\n".join(row[0] for row in await conn.fetch("EXPLAIN " + Documents._MISSING, 10))
    finally:
        await conn.close()
    assert "certificate_versions_awaiting_pdf" in plan
