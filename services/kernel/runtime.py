"""Runtime: what a service process holds while it runs (pool, NATS link, relay, consumers, and
the components a service runs beside its routes)."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import asyncpg

from .auth import TokenSigner, TokenVerifier
from .db import create_pool
from .http import ServiceClient
from .inbox import InboxRunner, Subscription
from .jobs import Job, JobRunner
from .migrations import KERNEL_MIGRATIONS, apply_migrations
from .nats import NatsLink
from .outbox import OutboxRelay
from .settings import BaseSettings
from .tokens import TokenMinter
from .uow import UnitOfWork

__all__ = ["Component", "Runtime"]

logger = logging.getLogger(__name__)


class Component(Protocol):
    """Something a service runs beside its routes for as long as the process serves (an in-memory
    view kept current by the database, a listener). ``start`` is awaited once the runtime is up (the
    pool migrated, NATS linked, consumers and jobs running), components in their order; ``stop``
    before the runtime stops, in the reverse order. ``start`` should return soon (start long work
    in a task of its own); neither should raise for an outage."""

    async def start(self, runtime: Runtime) -> None: ...

    async def stop(self) -> None: ...


@dataclass
class Runtime:
    """Built by the app factory, started in the lifespan, stopped on shutdown (SIGTERM)."""

    settings: BaseSettings
    migrations_dir: Path | None = None
    needs_database: bool = True
    needs_nats: bool = True
    publishes: bool = True
    """Whether the process emits events: its own stream and outbox relay (the gateway only consumes)."""
    subscriptions: list[Subscription] = field(default_factory=list)
    jobs: list[Job] = field(default_factory=list)
    components: list[Component] = field(default_factory=list)
    runner: JobRunner | None = None
    verifier: TokenVerifier | None = None
    pool: asyncpg.Pool[Any] | None = None
    link: NatsLink | None = None
    relay: OutboxRelay | None = None
    inbox: InboxRunner | None = None
    client: ServiceClient | None = None
    migrated: bool = False

    @property
    def name(self) -> str:
        return self.settings.service_name

    def migration_dirs(self) -> list[tuple[str, Path]]:
        dirs = [("kernel", KERNEL_MIGRATIONS)]
        if self.migrations_dir is not None:
            dirs.append((self.name, self.migrations_dir))
        return dirs

    def uow(self) -> UnitOfWork:
        if self.pool is None:
            raise RuntimeError(f"{self.name} has no database")
        return UnitOfWork(self.pool, on_commit=self.relay.notify if self.relay else None)

    def service_client(self) -> ServiceClient:
        """The process's one client for calls to other services (opened in ``start``)."""
        if self.client is None:
            settings = self.settings
            signer = TokenSigner.from_settings(settings)
            self.client = ServiceClient(
                urls=settings.service_urls, minter=TokenMinter.for_signer(signer, settings.token_ttl_seconds)
            )
        return self.client

    async def start(self) -> None:
        await self.service_client().start()
        if self.needs_database:
            self.pool = await create_pool(self.settings)
            async with self.pool.acquire() as conn:
                await apply_migrations(conn, self.migration_dirs())
            self.migrated = True
        if self.needs_nats:
            self.link = NatsLink.from_settings(self.settings, name=self.name)
            await self.link.connect()
            if self.publishes:
                await self.link.ensure_stream(self.name)
            if self.pool is not None:
                if self.publishes:
                    self.relay = OutboxRelay(self.pool, self.link)
                    self.relay.start()
                if self.subscriptions:
                    self.inbox = InboxRunner(
                        self.pool,
                        self.link,
                        service=self.name,
                        subscriptions=self.subscriptions,
                        on_commit=self.relay.notify if self.relay else None,
                    )
                    await self.inbox.start()
        if self.jobs and self.pool is not None:
            self.runner = JobRunner(self.pool, self.jobs, uow=self.uow, service=self.name)
            self.runner.start()
        for component in self.components:
            await component.start(self)

    async def stop(self) -> None:
        """Stop the components, the jobs and consuming, flush the relay, then close NATS and the pool."""
        for component in reversed(self.components):
            await component.stop()
        if self.runner is not None:
            await self.runner.stop()
        if self.inbox is not None:
            await self.inbox.stop()
        if self.relay is not None:
            await self.relay.stop()
        if self.link is not None:
            await self.link.close()
        if self.pool is not None:
            await self.pool.close()
        if self.client is not None:
            await self.client.aclose()
        logger.info("%s stopped", self.name)
