"""The registry bench's 2021 certificates, issued by approvals on the platform's registry database
(the registry's own consumer code, so numbers come from the counters and events reach its outbox),
and the anonymous visitor's token the gateway would forward, to call the registry alone."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import time
import uuid

import asyncpg
import nats

from contracts.applications.events import ApplicationApproved, ApprovedLevel, UnitParticulars
from contracts.auth import Caller
from deploy.local.stack import Stack
from services.kernel import UnitOfWork
from services.kernel.auth import TokenSigner
from services.kernel.db import database_url_for, init_connection
from services.kernel.registry import audience_for
from services.registry.handlers.approvals import apply_approval

__all__ = ["issue_certificates", "registry_token", "settled"]

DATABASE = "qual_registry"
_PROVINCES = ("110000", "320000", "440000", "510000")


def _approval(index: int) -> ApplicationApproved:
    application_id = str(uuid.uuid4())
    return ApplicationApproved(
        aggregate_id=application_id,
        application_id=application_id,
        unit_id=f"bench-unit-{index}",
        revision=0,
        application_type="资质申请",
        certificate_type="甲级资质证书" if index % 2 else "乙级资质证书",
        jurisdiction=_PROVINCES[index % len(_PROVINCES)],
        approved_on=dt.date(2026, 1, 5),
        levels=[ApprovedLevel(category="工程测量", level="甲级" if index % 2 else "乙级", sub_items=["控制测量"])],
        unit=UnitParticulars(
            unit_name=f"基准测绘有限公司{index}",
            credit_code="91110108MA01ABCD1X",
            registered_address="北京市海淀区中关村大街1号",
            legal_representative="张三",
        ),
        authority_name="北京市规划和自然资源委员会",
    )


async def _issue(dsn: str, count: int) -> list[str]:
    pool = await asyncpg.create_pool(dsn, min_size=1, max_size=2, init=init_connection)
    assert pool is not None
    try:
        for index in range(count):
            await apply_approval(_approval(index), UnitOfWork(pool))
        rows = await pool.fetch("SELECT number FROM certificates WHERE regime = '2021'")
    finally:
        await pool.close()
    return [row["number"] for row in rows]


def issue_certificates(stack: Stack, count: int) -> list[str]:
    """Issue ``count`` certificates (资质申请 approvals); the numbers of the register's 2021 ones."""
    return asyncio.run(_issue(database_url_for(stack.database_url(), DATABASE), count))


def registry_token(stack: Stack) -> str:
    """The gateway's anonymous-visitor token for the registry (valid for the token TTL)."""
    keys = json.loads((stack.config.data_dir / "keys.json").read_text())
    signer = TokenSigner(keys["gateway"][0], ttl_seconds=3600)
    return signer.sign(Caller(account_id="gateway", role="system"), audience=audience_for("registry"))


_BACKLOG = """SELECT (SELECT count(*) FROM outbox WHERE sent_at IS NULL)
    + (SELECT count(*) FROM certificate_versions v JOIN certificates c ON c.id = v.certificate_id
       WHERE c.regime = '2021' AND v.pdf IS NULL)"""


async def _consumers_behind(nats_url: str) -> int:
    """Events delivered to no consumer yet or not yet acknowledged, over every durable consumer of
    every stream (applications records the 100,000 legacy certificates from the registry's events)."""
    client = await nats.connect(nats_url)
    try:
        jetstream = client.jetstream()
        behind = 0
        for stream in await jetstream.streams_info():
            for consumer in await jetstream.consumers_info(stream.config.name):
                behind += (consumer.num_pending or 0) + (consumer.num_ack_pending or 0)
        return behind
    finally:
        await client.close()


async def _settle(dsn: str, nats_url: str, limit_seconds: float) -> float:
    conn = await asyncpg.connect(dsn)
    started = time.perf_counter()
    try:
        while await conn.fetchval(_BACKLOG) or await _consumers_behind(nats_url):
            if time.perf_counter() - started > limit_seconds:
                raise TimeoutError("the registry's outbox, PDF backlog or the consumers did not drain")
            await asyncio.sleep(0.5)
    finally:
        await conn.close()
    return time.perf_counter() - started


def settled(stack: Stack, timeout: float = 600.0) -> float:
    """Wait until every event is published and consumed (every durable consumer caught up) and every
    issued version has its 电子证书; seconds. Measuring before would time the lookups against the
    consumers' catch-up work on the same two cores."""
    return asyncio.run(_settle(database_url_for(stack.database_url(), DATABASE), stack.nats_url(), timeout))
