"""Periodic jobs (kernel.jobs) on real PostgreSQL: every N seconds, in one replica at a time, taken
over when that replica stops, kept running when a run fails, and started/stopped by the Runtime."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable

import pytest

from services.kernel import BaseSettings, Runtime, UnitOfWork
from services.kernel.jobs import Job, JobRunner
from tests.fixtures.waiting import eventually


class Ticks:
    """What a job saw: one entry per run, naming the replica that ran it."""

    def __init__(self) -> None:
        self.runs: list[str] = []

    def job(self, replica: str, name: str = "tick", every: float = 0.02) -> Job:
        async def run(uow: UnitOfWork) -> None:
            async with uow:  # a job gets a working unit of work
                await uow.conn.execute("SELECT 1")
                await uow.commit()
            self.runs.append(replica)

        return Job(name, every, run)

    def by(self, replica: str) -> int:
        return self.runs.count(replica)


@pytest.fixture
async def replicas(settings_for: Callable[..., BaseSettings]) -> AsyncIterator[Callable[[], Runtime]]:
    """``replica()``: another started Runtime of one service on one database (no NATS)."""
    settings = settings_for(service="jobtest")
    started: list[Runtime] = []

    def make(jobs: list[Job] | None = None) -> Runtime:
        runtime = Runtime(settings=settings, needs_nats=False, jobs=jobs or [])
        started.append(runtime)
        return runtime

    yield make
    for runtime in started:
        await runtime.stop()


async def test_a_job_runs_every_n_seconds(replicas: Callable[..., Runtime]) -> None:
    ticks = Ticks()
    runtime = replicas([ticks.job("a", every=0.02)])
    await runtime.start()

    async def ran_often() -> bool:
        return ticks.by("a") >= 5

    await eventually(ran_often)


async def test_one_replica_runs_a_job_and_another_takes_over_when_it_stops(replicas: Callable[..., Runtime]) -> None:
    ticks = Ticks()
    first, second = replicas([ticks.job("a")]), replicas([ticks.job("b")])
    await first.start()

    async def first_leads() -> bool:
        return ticks.by("a") >= 3

    await eventually(first_leads)
    await second.start()
    assert first.runner is not None and second.runner is not None
    seen = len(ticks.runs)

    async def first_runs_more() -> bool:
        return ticks.by("a") >= seen + 5

    await eventually(first_runs_more)
    assert ticks.by("b") == 0  # the lock is the first replica's while it runs
    assert first.runner.leading == {"tick"} and second.runner.leading == frozenset()

    await first.stop()
    stopped_at = ticks.by("a")

    async def second_took_over() -> bool:
        return ticks.by("b") >= 3

    await eventually(second_took_over)
    assert ticks.by("a") == stopped_at  # nothing runs in a stopped replica


async def test_different_jobs_may_run_in_different_replicas_never_one_job_twice_at_once(
    replicas: Callable[..., Runtime],
) -> None:
    running: dict[str, int] = {"x": 0, "y": 0}
    overlaps: list[str] = []
    done: dict[str, int] = {"x": 0, "y": 0}

    def job(name: str) -> Job:
        async def run(uow: UnitOfWork) -> None:
            running[name] += 1
            if running[name] > 1:
                overlaps.append(name)
            async with uow.reading() as conn:  # a run that takes a moment, so two at once would overlap
                await conn.execute("SELECT pg_sleep(0.01)")
            running[name] -= 1
            done[name] += 1

        return Job(name, 0.005, run)

    for _ in range(3):
        await replicas([job("x"), job("y")]).start()

    async def both_ran() -> bool:
        return done["x"] >= 10 and done["y"] >= 10

    await eventually(both_ran)
    assert overlaps == []


async def test_a_failing_run_is_logged_and_the_job_runs_again(
    replicas: Callable[..., Runtime], caplog: pytest.LogCaptureFixture
) -> None:
    attempts: list[int] = []

    async def flaky(_: UnitOfWork) -> None:
        attempts.append(len(attempts))
        if len(attempts) <= 2:
            raise ValueError("a bad run")

    ticks = Ticks()
    runtime = replicas([Job("flaky", 0.01, flaky), ticks.job("steady", name="steady", every=0.01)])
    await runtime.start()

    async def recovered() -> bool:
        return len(attempts) >= 5 and ticks.by("steady") >= 5

    await eventually(recovered)
    failures = [record for record in caplog.records if record.getMessage() == "job flaky failed"]
    assert len(failures) == 2 and failures[0].exc_info is not None


async def test_the_runner_stops_a_long_run_and_releases_its_locks(settings_for: Callable[..., BaseSettings]) -> None:
    runtime = Runtime(settings=settings_for(service="jobstop"), needs_nats=False)
    await runtime.start()
    assert runtime.pool is not None
    started = asyncio.Event()

    async def endless(_: UnitOfWork) -> None:
        started.set()
        await asyncio.Event().wait()  # never finishes by itself

    runner = JobRunner(runtime.pool, [Job("endless", 0.01, endless)], uow=runtime.uow, grace_seconds=0.1)
    runner.start()
    await asyncio.wait_for(started.wait(), 20)
    try:
        await asyncio.wait_for(runner.stop(), 20)
        assert runner.leading == frozenset()
        locks = await runtime.pool.fetchval(
            "SELECT count(*) FROM pg_locks l JOIN pg_database d ON d.oid = l.database"
            " WHERE l.locktype = 'advisory' AND d.datname = current_database()"
        )
        assert locks == 0
    finally:
        await runtime.stop()


def test_job_names_are_unique() -> None:
    async def nothing(_: UnitOfWork) -> None:
        return None

    with pytest.raises(ValueError, match="unique"):
        JobRunner(None, [Job("a", 1, nothing), Job("a", 2, nothing)], uow=lambda: None)  # type: ignore[arg-type,return-value]
