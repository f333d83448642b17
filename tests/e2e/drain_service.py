"""The service process of the graceful-shutdown test: a kernel app whose ``POST /work`` waits
``seconds`` before it commits an outbox event, so a SIGTERM can arrive while it is in flight.

Run from the repository root (settings from the environment, service name ``drain``)::

    PORT=… DATABASE_URL=… DATABASE_NAME=… NATS_URL=… INTERNAL_TOKEN_PUBLIC_KEY=… \
        python -m tests.e2e.drain_service
"""

from __future__ import annotations

import asyncio

from litestar import Litestar, post

from contracts.base import Event, Response
from services.kernel import BaseSettings, UnitOfWork, create_service_app, load_settings
from services.kernel.runner import run

__all__ = ["WorkFinished", "create_app"]


class WorkFinished(Event, frozen=True, tag="drain.work_finished.v1"):
    """Graceful-shutdown-test-only event: one ``POST /work`` committed."""

    n: int


class WorkDone(Response):
    n: int


@post("/work/{n:int}", status_code=200)
async def work(n: int, seconds: float, uow: UnitOfWork) -> WorkDone:
    await asyncio.sleep(seconds)
    async with uow:
        uow.emit(WorkFinished(aggregate_id=f"work-{n}", n=n))
        await uow.commit()
    return WorkDone(n=n)


def create_app() -> Litestar:
    return create_service_app(settings=load_settings(BaseSettings), route_handlers=[work])


if __name__ == "__main__":
    run("tests.e2e.drain_service:create_app", load_settings(BaseSettings))
