"""The standard's vocabulary: the 设备类型 and 专业类别 of the 资质标准 in force, read from the
standards service and kept for ``STAFFING_STANDARDS_CACHE_SECONDS``.

One ``Vocabulary`` per app. While a read is under way every other request waits for that same
read (no stampede of first requests); a failed read is not kept, so the next request tries
again, and the kernel's refusal (502/504 ``upstream_*``, 503) reaches the caller unchanged.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from urllib.parse import quote

from contracts.standards.api import StandardDetail, StandardVersion, StandardVersions
from services.kernel import ServiceClient

from .. import clock, errors

__all__ = ["Fetch", "Terms", "Vocabulary", "fetch_in_force", "in_force"]


@dataclass(frozen=True, slots=True)
class Terms:
    """The vocabulary of one standard version."""

    version: str
    equipment_types: frozenset[str]
    """设备类型."""
    categories: frozenset[str]
    """专业类别."""


Fetch = Callable[[ServiceClient], Awaitable[Terms]]
"""Reads the vocabulary in force (through the given client)."""


def in_force(versions: Sequence[StandardVersion], day: dt.date) -> StandardVersion | None:
    """The version with the latest ``effective_from`` on or before ``day``."""
    candidates = [v for v in versions if v.effective_from <= day]
    return max(candidates, key=lambda v: v.effective_from, default=None)


async def fetch_in_force(services: ServiceClient) -> Terms:
    """``GET /standards`` to pick the version in force today, then ``GET /standards/{version}``."""
    listed = await services.call("standards", "GET", "/standards", response_type=StandardVersions)
    today = clock.today()
    chosen = in_force(listed.versions, today)
    if chosen is None:
        raise errors.NoStandardInForceError(today)
    path = f"/standards/{quote(chosen.version, safe='')}"
    detail = await services.call("standards", "GET", path, response_type=StandardDetail)
    return Terms(
        version=detail.version,
        equipment_types=frozenset(detail.equipment_types),
        categories=frozenset(detail.categories),
    )


class Vocabulary:
    """The cached vocabulary: ``await vocabulary.terms(services)``.

    ``fetch`` and ``clock`` (monotonic seconds) are injected so the cache can be tested alone.
    """

    def __init__(
        self, *, ttl: float, fetch: Fetch = fetch_in_force, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._ttl = ttl
        self._fetch = fetch
        self._clock = clock
        self._terms: Terms | None = None
        self._expires = 0.0
        self._pending: asyncio.Task[Terms] | None = None

    async def terms(self, services: ServiceClient) -> Terms:
        """The vocabulary in force: the kept one while fresh, else one read shared by all waiters."""
        if self._terms is not None and self._clock() < self._expires:
            return self._terms
        if self._pending is None:
            self._pending = asyncio.create_task(self._refresh(services))
            self._pending.add_done_callback(_retrieve)
        # A waiter that is cancelled leaves the read running for the others.
        return await asyncio.shield(self._pending)

    async def _refresh(self, services: ServiceClient) -> Terms:
        try:
            terms = await self._fetch(services)
            self._terms, self._expires = terms, self._clock() + self._ttl
            return terms
        finally:
            self._pending = None


def _retrieve(task: asyncio.Task[Terms]) -> None:
    """Mark a failed read's exception as seen when every waiter was cancelled before it ended."""
    if not task.cancelled():
        task.exception()
