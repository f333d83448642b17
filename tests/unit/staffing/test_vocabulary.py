"""The standard's vocabulary cache: kept for its time, read once by concurrent first requests,
a failed read not kept; and the version in force picked by date."""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import Any

import pytest

from contracts.standards.api import StandardDetail, StandardVersion, StandardVersions
from services.kernel import ServiceClient, UpstreamError
from services.staffing import errors
from services.staffing.handlers.vocabulary import Terms, Vocabulary, fetch_in_force, in_force

TERMS = Terms(version="2021", equipment_types=frozenset({"全站仪"}), categories=frozenset({"工程测量"}))
NO_CLIENT: Any = None
"""The fake fetcher ignores the client it is given."""


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class FakeFetch:
    """Counts reads; each read waits for ``gate`` and answers ``answers`` in turn."""

    def __init__(self, *answers: Terms | Exception) -> None:
        self.answers = list(answers)
        self.calls = 0
        self.gate = asyncio.Event()
        self.gate.set()

    async def __call__(self, _services: ServiceClient) -> Terms:
        self.calls += 1
        await self.gate.wait()
        answer = self.answers[min(self.calls, len(self.answers)) - 1]
        if isinstance(answer, Exception):
            raise answer
        return answer


def vocabulary(fetch: FakeFetch, clock: FakeClock, ttl: float = 60.0) -> Vocabulary:
    return Vocabulary(ttl=ttl, fetch=fetch, clock=clock)


async def test_kept_until_its_time_is_up() -> None:
    newer = Terms(version="2026", equipment_types=frozenset({"水准仪"}), categories=frozenset())
    fetch, clock = FakeFetch(TERMS, newer), FakeClock()
    cache = vocabulary(fetch, clock, ttl=60)
    assert await cache.terms(NO_CLIENT) is TERMS
    clock.now += 59.9
    assert await cache.terms(NO_CLIENT) is TERMS
    assert fetch.calls == 1
    clock.now += 0.1
    assert await cache.terms(NO_CLIENT) is newer
    assert fetch.calls == 2


async def test_no_time_means_every_request_reads_again() -> None:
    fetch, clock = FakeFetch(TERMS), FakeClock()
    cache = vocabulary(fetch, clock, ttl=0)
    for _ in range(3):
        await cache.terms(NO_CLIENT)
    assert fetch.calls == 3


async def test_concurrent_first_requests_share_one_read() -> None:
    fetch, clock = FakeFetch(TERMS), FakeClock()
    fetch.gate.clear()
    cache = vocabulary(fetch, clock)
    waiters = [asyncio.create_task(cache.terms(NO_CLIENT)) for _ in range(20)]
    await asyncio.sleep(0)
    fetch.gate.set()
    assert await asyncio.gather(*waiters) == [TERMS] * 20
    assert fetch.calls == 1


async def test_a_failed_read_reaches_every_waiter_and_is_not_kept() -> None:
    fetch, clock = FakeFetch(UpstreamError.unavailable("standards"), TERMS), FakeClock()
    fetch.gate.clear()
    cache = vocabulary(fetch, clock)
    waiters = [asyncio.create_task(cache.terms(NO_CLIENT)) for _ in range(5)]
    await asyncio.sleep(0)
    fetch.gate.set()
    outcomes = await asyncio.gather(*waiters, return_exceptions=True)
    assert all(isinstance(outcome, UpstreamError) for outcome in outcomes)
    assert fetch.calls == 1
    assert await cache.terms(NO_CLIENT) is TERMS
    assert fetch.calls == 2


async def test_a_cancelled_waiter_leaves_the_read_to_the_others() -> None:
    fetch, clock = FakeFetch(TERMS), FakeClock()
    fetch.gate.clear()
    cache = vocabulary(fetch, clock)
    first = asyncio.create_task(cache.terms(NO_CLIENT))
    second = asyncio.create_task(cache.terms(NO_CLIENT))
    await asyncio.sleep(0)
    first.cancel()
    fetch.gate.set()
    assert await second is TERMS
    assert fetch.calls == 1


def version(name: str, effective_from: dt.date) -> StandardVersion:
    return StandardVersion(version=name, title=name, document=name, effective_from=effective_from, official=True)


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (dt.date(2021, 6, 30), None),
        (dt.date(2021, 7, 1), "2021"),
        (dt.date(2025, 12, 31), "2021"),
        (dt.date(2026, 1, 1), "2026"),
        (dt.date(2030, 1, 1), "2026"),
    ],
)
def test_the_version_in_force_is_the_latest_effective_on_the_day(day: dt.date, expected: str | None) -> None:
    versions = [version("2026", dt.date(2026, 1, 1)), version("2021", dt.date(2021, 7, 1))]
    chosen = in_force(versions, day)
    assert (chosen.version if chosen else None) == expected


class FakeStandards:
    """What the standards service answers to the two reads (a stand-in for the ServiceClient)."""

    def __init__(self, versions: list[StandardVersion]) -> None:
        self.versions = versions
        self.paths: list[str] = []

    async def call(self, service: str, method: str, path: str, *, response_type: type[Any]) -> Any:
        assert (service, method) == ("standards", "GET")
        self.paths.append(path)
        if path == "/standards":
            return StandardVersions(versions=self.versions)
        chosen = next(v for v in self.versions if path == f"/standards/{v.version}")
        return StandardDetail(
            **{f: getattr(chosen, f) for f in chosen.__struct_fields__},
            notes=(),
            sources={},
            levels=("甲级", "乙级"),
            categories=("工程测量", f"类别{chosen.version}"),
            equipment_types=("全站仪",),
            performance_rules=(),
            rules=(),
            standards=(),
        )


async def test_the_terms_are_those_of_the_version_in_force_today() -> None:
    standards = FakeStandards([version("2999", dt.date(2999, 1, 1)), version("2021", dt.date(2021, 7, 1))])
    terms = await fetch_in_force(standards)  # type: ignore[arg-type]
    assert terms == Terms(
        version="2021", equipment_types=frozenset({"全站仪"}), categories=frozenset({"工程测量", "类别2021"})
    )
    assert standards.paths == ["/standards", "/standards/2021"]


async def test_no_version_in_force_is_a_503() -> None:
    standards = FakeStandards([version("2999", dt.date(2999, 1, 1))])
    with pytest.raises(errors.NoStandardInForceError) as refused:
        await fetch_in_force(standards)  # type: ignore[arg-type]
    assert refused.value.status_code == 503
