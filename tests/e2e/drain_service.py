"""The service process of the graceful-shutdown test: a kernel app whose ``POST /work/{n}`` says
it has started and then holds until the test releases it, so a SIGTERM arrives while it is in
flight, without any guess at timing.

The handshake is two files in ``SIGNAL_DIR``: the handler creates ``work-{n}.started`` on entry,
then waits (at most ``HOLD_SECONDS``) for the test to create ``work-{n}.release`` before it commits
an outbox event.

Run from the repository root (settings from the environment, service name ``drain``)::

    PORT=… DATABASE_URL=… DATABASE_NAME=… NATS_URL=… INTERNAL_TOKEN_PUBLIC_KEY=… SIGNAL_DIR=… \
        python -m tests.e2e.drain_service
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping

import anyio
from litestar import Litestar, post

from contracts.base import Event, Response
from services.kernel import BaseSettings, ServiceSpec, UnitOfWork, load_settings
from services.kernel.runner import run

__all__ = ["DrainSettings", "WorkFinished", "create_app"]


class WorkFinished(Event, frozen=True, tag="drain.work_finished.v1"):
    """Graceful-shutdown-test-only event: one ``POST /work`` committed."""

    n: int


class WorkDone(Response):
    n: int


class DrainSettings(BaseSettings, kw_only=True, frozen=True):
    """``SIGNAL_DIR``: where the handshake files go; ``HOLD_SECONDS``: the longest a request waits."""

    service_name: str = "drain"
    signal_dir: str = ""
    hold_seconds: float = 30.0


async def _released(release: anyio.Path, *, within: float) -> None:
    deadline = asyncio.get_running_loop().time() + within
    while not await release.exists():
        if asyncio.get_running_loop().time() > deadline:
            raise TimeoutError(f"{release} did not appear within {within}s")
        await asyncio.sleep(0.01)


@post("/work/{n:int}", status_code=200)
async def work(n: int, uow: UnitOfWork, drain_settings: DrainSettings) -> WorkDone:
    signals = anyio.Path(drain_settings.signal_dir)
    await (signals / f"work-{n}.started").touch()
    await _released(signals / f"work-{n}.release", within=drain_settings.hold_seconds)
    async with uow:
        uow.emit(WorkFinished(aggregate_id=f"work-{n}", n=n))
        await uow.commit()
    return WorkDone(n=n)


def _provides(settings: DrainSettings) -> Mapping[str, object]:
    return {"drain_settings": settings}


def create_app() -> Litestar:
    settings = load_settings(DrainSettings)
    spec = ServiceSpec(name=settings.service_name, settings_cls=DrainSettings, routes=[work], provides=_provides)
    return spec.create_app(settings)


if __name__ == "__main__":
    run("tests.e2e.drain_service:create_app", load_settings(DrainSettings))
