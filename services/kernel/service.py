"""ServiceSpec: what a service is — its name, settings, routes, migrations, subscriptions, the
values it provides to its handlers, its jobs and components — so each service's ``app.py`` is one
declaration."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from dataclasses import dataclass
from os import environ
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from .inbox import Subscription
from .jobs import Job
from .registry import entry
from .runner import run
from .settings import BaseSettings, SettingsError, load_settings

if TYPE_CHECKING:
    import asyncpg
    from litestar import Litestar

    from .runtime import Component

__all__ = ["ServiceSpec"]

S = TypeVar("S", bound=BaseSettings)


@dataclass(frozen=True)
class ServiceSpec(Generic[S]):
    """A service of the registry (``name``: database ``qual_<name>``, stream ``QUAL_<NAME>``).

    ``provides(settings)`` builds, once per app, the values handlers receive by parameter name
    (``{"catalog": catalog}``). The kernel adds ``caller``, ``caller_token`` (the caller's token,
    to forward), ``uow``, ``runtime`` and ``services`` (the one ServiceClient).
    """

    name: str
    settings_cls: type[S]
    routes: Sequence[Any] = ()
    migrations: Path | None = None
    subscriptions: Sequence[Subscription] = ()
    provides: Callable[[S], Mapping[str, object]] | None = None
    jobs: Callable[[S, Mapping[str, object]], Sequence[Job]] | None = None
    """``jobs(settings, provided)``: the periodic jobs (kernel.jobs), built from the provided values."""
    components: Callable[[S, Mapping[str, object]], Sequence[Component]] | None = None
    """``components(settings, provided)``: what runs beside the routes (``runtime.Component``),
    usually some of the provided values: started after the runtime, stopped before it."""
    database: bool = True
    nats: bool = True

    def settings(self, environ_: Mapping[str, str] | None = None) -> S:
        """Settings from the environment; ``SERVICE_NAME`` defaults to this service's name."""
        env = environ if environ_ is None else environ_
        defaults: dict[str, object] = {} if "SERVICE_NAME" in env else {"service_name": self.name}
        return load_settings(self.settings_cls, env, **defaults)

    def create_app(self, settings: S | None = None) -> Litestar:
        from .app import create_service_app

        return create_service_app(self, settings or self.settings())

    @contextlib.asynccontextmanager
    async def migrated_pool(self, settings: S) -> AsyncIterator[asyncpg.Pool[Any]]:
        """A pool on the service's own database (created if missing) with its migrations applied,
        closed on exit: for the commands an operator runs beside the service (legacy loads,
        accounts, the holiday calendar), which may run before the service ever started."""
        from .db import create_pool
        from .migrations import apply_migrations
        from .runtime import Runtime

        pool = await create_pool(settings)
        try:
            async with pool.acquire() as conn:
                await apply_migrations(conn, Runtime(settings, migrations_dir=self.migrations).migration_dirs())
            yield pool
        finally:
            await pool.close()

    def main(self) -> None:
        """``python -m services.<name>``: serve with granian on the registry's port until SIGTERM."""
        try:
            settings = self.settings()
        except SettingsError as exc:
            sys.exit(f"{self.name}: bad setting {exc}")
        run(entry(self.name).factory, settings)
