"""The standard's 专业范围 vocabulary: 专业类别, their 等级 and 专业子项 of the 资质标准 in force, read
from the standards service and kept for ``APPLICATIONS_STANDARDS_CACHE_SECONDS``.

One ``StandardLevels`` per app. While a read is under way every other request waits for that same
read; a failed read is not kept, and the kernel's refusal (502/504, 503) reaches the caller.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from urllib.parse import quote

from contracts.applications.api import LevelOption
from contracts.standards.api import StandardDetail, StandardVersions
from services.kernel import ServiceClient

from .. import clock, errors

__all__ = ["Levels", "StandardLevels", "fetch_in_force"]


@dataclass(frozen=True, slots=True)
class Levels:
    """One version's categories: category → (levels, 专业子项), and the options the page shows."""

    version: str
    by_category: Mapping[str, tuple[frozenset[str], frozenset[str]]]
    options: tuple[LevelOption, ...]


async def fetch_in_force(services: ServiceClient) -> Levels:
    """``GET /standards`` to pick the version in force today, then ``GET /standards/{version}``."""
    listed = await services.call("standards", "GET", "/standards", response_type=StandardVersions)
    today = clock.today()
    candidates = [v for v in listed.versions if v.effective_from <= today]
    chosen = max(candidates, key=lambda v: v.effective_from, default=None)
    if chosen is None:
        raise errors.NoStandardInForceError(today)
    detail = await services.call(
        "standards", "GET", f"/standards/{quote(chosen.version, safe='')}", response_type=StandardDetail
    )
    options = tuple(
        LevelOption(
            category=s.category,
            levels=[level.level for level in s.levels],
            sub_items=list(s.subitems.value or ()),
        )
        for s in detail.standards
    )
    by_category = {o.category: (frozenset(o.levels), frozenset(o.sub_items)) for o in options}
    return Levels(version=detail.version, by_category=by_category, options=options)


class StandardLevels:
    """The cached levels: ``await standard.levels(services)``; ``fetch`` and ``clock`` injectable."""

    def __init__(
        self,
        *,
        ttl: float,
        fetch: Callable[[ServiceClient], Awaitable[Levels]] = fetch_in_force,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._ttl, self._fetch, self._clock = ttl, fetch, clock
        self._levels: Levels | None = None
        self._expires = 0.0
        self._pending: asyncio.Task[Levels] | None = None

    async def levels(self, services: ServiceClient) -> Levels:
        if self._levels is not None and self._clock() < self._expires:
            return self._levels
        if self._pending is None:
            self._pending = asyncio.create_task(self._refresh(services))
            self._pending.add_done_callback(_retrieve)
        return await asyncio.shield(self._pending)

    async def _refresh(self, services: ServiceClient) -> Levels:
        try:
            levels = await self._fetch(services)
            self._levels, self._expires = levels, self._clock() + self._ttl
            return levels
        finally:
            self._pending = None


def _retrieve(task: asyncio.Task[Levels]) -> None:
    if not task.cancelled():
        task.exception()
