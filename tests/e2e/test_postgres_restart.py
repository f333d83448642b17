"""PostgreSQL restarted under a steady load of registrations through the portal (the whole platform
as processes, on a PostgreSQL of its own): nothing answered 2xx is lost, every registration
committed is published exactly once, the outage is 503 with ``Retry-After`` (never 500), and the
platform recovers without any process being restarted.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import msgspec
import nats
import pytest
from nats.aio.msg import Msg
from nats.js.api import ConsumerConfig, DeliverPolicy

from deploy.local.components import NatsServer, PostgresServer, free_port
from deploy.local.stack import Stack, StackConfig
from services.kernel.db import database_url_for
from services.kernel.registry import SERVICE_NAMES
from tests.builders.identity import a_registration
from tests.fixtures.portal_forms import csrf_in
from tests.fixtures.waiting import eventually

pytestmark = pytest.mark.slow

WORKERS = 3
WRITES_PER_PHASE = 10  # successes before the stop, and again after the restart
MAX_WRITES_PER_WORKER = 200  # a hard bound on the load, whatever happens
REGISTERED = "identity.unit_account_registered"  # the event's type, any version
REDIRECT_ON_SUCCESS = "/login?notice=registered"


@dataclass
class Outcome:
    username: str
    status: int
    after_restart: bool
    headers: httpx.Headers
    text: str


@dataclass
class Load:
    """The writes answered so far; ``restarted`` marks those sent after PostgreSQL came back."""

    outcomes: list[Outcome] = field(default_factory=list)
    stopping: asyncio.Event = field(default_factory=asyncio.Event)
    restarted: bool = False

    def count(self, status: int, *, after_restart: bool) -> int:
        return sum(o.status == status and o.after_restart == after_restart for o in self.outcomes)


@pytest.fixture
def platform_on_own_postgres(tmp_path: Path, nats_server: NatsServer) -> Iterator[tuple[Stack, PostgresServer]]:
    postgres = PostgresServer(tmp_path / "pg", free_port(), durable=True).start()
    config = StackConfig(
        data_dir=tmp_path / "platform",
        gateway_port=free_port(),
        service_ports={name: free_port() for name in SERVICE_NAMES},
        database_url=postgres.url,
        nats_url=nats_server.url,
        extra_env={"LOG_JSON": "true"},
    )
    stack = Stack(config)
    try:
        stack.start(timeout=120)
        yield stack, postgres
    finally:
        stack.stop()
        postgres.stop()


@contextlib.asynccontextmanager
async def registrations_seen(nats_url: str) -> AsyncIterator[list[Msg]]:
    """Every message stored in ``QUAL_IDENTITY`` from now on, read by an ordered (ephemeral) consumer."""
    nc = await nats.connect(nats_url)
    js = nc.jetstream()
    start = (await js.stream_info("QUAL_IDENTITY")).state.last_seq + 1
    seen: list[Msg] = []

    async def keep(msg: Msg) -> None:
        seen.append(msg)

    config = ConsumerConfig(deliver_policy=DeliverPolicy.BY_START_SEQUENCE, opt_start_seq=start)
    subscription = await js.subscribe("qual.identity.>", cb=keep, ordered_consumer=True, config=config)
    try:
        yield seen
    finally:
        await subscription.unsubscribe()
        await nc.close()


async def register(portal: httpx.AsyncClient, csrf: str, *, load: Load) -> Outcome:
    form = a_registration()
    after_restart = load.restarted
    response = await portal.post("/register", data={**form, "_csrf": csrf})
    outcome = Outcome(form["username"], response.status_code, after_restart, response.headers, response.text)
    load.outcomes.append(outcome)
    return outcome


async def worker(base_url: str, load: Load) -> None:
    """One visitor registering units back to back (a bounded rate: one request in flight)."""
    async with httpx.AsyncClient(base_url=base_url, timeout=30) as portal:
        csrf = csrf_in((await portal.get("/register")).text)
        for _ in range(MAX_WRITES_PER_WORKER):
            if load.stopping.is_set():
                return
            await register(portal, csrf, load=load)


async def test_restarting_postgres_under_load_loses_nothing_and_duplicates_nothing(
    platform_on_own_postgres: tuple[Stack, PostgresServer], nats_server: NatsServer
) -> None:
    stack, postgres = platform_on_own_postgres
    pids = processes_of(stack)
    assert all(children for _, children in pids.values()), pids
    base_url = stack.config.portal_url.rstrip("/")
    load = Load()
    async with registrations_seen(nats_server.url) as seen:
        workers = [asyncio.create_task(worker(base_url, load)) for _ in range(WORKERS)]
        try:
            await eventually(lambda: _reached(load, 303, after_restart=False), within=60)
            await asyncio.to_thread(postgres.stop)
            await eventually(lambda: _reached(load, 503, after_restart=False, at_least=WORKERS), within=30)
            await asyncio.to_thread(postgres.start)  # the same port
            load.restarted = True
            await eventually(lambda: _reached(load, 303, after_restart=True), within=60)
        finally:
            load.stopping.set()
            await asyncio.gather(*workers)
        async with httpx.AsyncClient(base_url=base_url, timeout=30) as portal:
            csrf = csrf_in((await portal.get("/register")).text)
            afterwards = [await register(portal, csrf, load=load) for _ in range(5)]
        assert [outcome.status for outcome in afterwards] == [303] * 5

        assert_answers(load)
        accounts = await accounts_of(postgres, [outcome.username for outcome in load.outcomes])
        confirmed = {o.username for o in load.outcomes if o.status == 303}
        assert confirmed <= set(accounts), "a registration answered 2xx is missing from the database"
        await eventually(lambda: _outbox_drained(postgres), within=30)
        last = await _last_sequence(nats_server.url)
        await eventually(lambda: _read_up_to(seen, last), within=30)
    published = events_per_account(seen, set(accounts.values()))
    assert published == dict.fromkeys(accounts.values(), 1), "each committed registration is published once"
    assert all(process.poll() is None for process in stack.processes.values()), "a process died"
    assert processes_of(stack) == pids, "a process was restarted"


def processes_of(stack: Stack) -> dict[str, tuple[int, set[str]]]:
    """Each process's PID and its children's (granian's worker): a respawned worker changes them."""
    return {name: (process.pid, _children(process.pid)) for name, process in stack.processes.items()}


def _children(pid: int) -> set[str]:
    tasks = Path(f"/proc/{pid}/task")
    return {child for task in tasks.iterdir() for child in (task / "children").read_text().split()}


def assert_answers(load: Load) -> None:
    """Only 303 (registered) and 503 (with Retry-After and the words), and every write sent after
    PostgreSQL was back succeeded."""
    assert {o.status for o in load.outcomes} <= {303, 503}, sorted({o.status for o in load.outcomes})
    assert load.count(503, after_restart=False) >= WORKERS
    for outcome in load.outcomes:
        if outcome.status == 303:
            assert outcome.headers["location"] == REDIRECT_ON_SUCCESS
        else:
            assert outcome.headers["retry-after"].isdigit()
            assert "服务暂时不可用，请稍后再试" in outcome.text
    assert load.count(503, after_restart=True) == 0


async def accounts_of(postgres: PostgresServer, usernames: list[str]) -> dict[str, str]:
    """username → account id of the usernames that were registered (each at most once)."""
    conn = await asyncpg.connect(database_url_for(postgres.url, "qual_identity"))
    try:
        rows = await conn.fetch("SELECT username, id::text AS id FROM accounts WHERE username = ANY($1)", usernames)
    finally:
        await conn.close()
    assert len(rows) == len({row["username"] for row in rows}), "a registration was stored twice"
    return {row["username"]: row["id"] for row in rows}


def events_per_account(seen: list[Msg], account_ids: set[str]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for msg in seen:
        event: dict[str, Any] = msgspec.json.decode(msg.data)
        if str(event.get("type", "")).startswith(REGISTERED) and event.get("account_id") in account_ids:
            counts[event["account_id"]] = counts.get(event["account_id"], 0) + 1
    return counts


async def _reached(load: Load, status: int, *, after_restart: bool, at_least: int = WRITES_PER_PHASE) -> bool:
    unexpected = sorted({o.status for o in load.outcomes} - {303, 503})
    assert not unexpected, f"answers other than 303 and 503: {unexpected}"
    return load.count(status, after_restart=after_restart) >= at_least


async def _outbox_drained(postgres: PostgresServer) -> bool:
    conn = await asyncpg.connect(database_url_for(postgres.url, "qual_identity"))
    try:
        return await conn.fetchval("SELECT count(*) FROM outbox WHERE sent_at IS NULL") == 0
    finally:
        await conn.close()


async def _last_sequence(nats_url: str) -> int:
    nc = await nats.connect(nats_url)
    try:
        return int((await nc.jetstream().stream_info("QUAL_IDENTITY")).state.last_seq)
    finally:
        await nc.close()


async def _read_up_to(seen: list[Msg], sequence: int) -> bool:
    return bool(seen) and seen[-1].metadata.sequence.stream >= sequence
