"""Components (``ServiceSpec.components``, ``kernel.Component``): started by the app's lifespan once
the runtime is up (pool migrated, NATS linked), in their order, and stopped in the reverse order
before the runtime closes the pool."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from services.kernel import BaseSettings, Component, Runtime, ServiceSpec
from tests.fixtures.apps import started


class Recorder:
    """A component writing down what it saw of the runtime when started and stopped."""

    def __init__(self, name: str, log: list[str]) -> None:
        self.name = name
        self.log = log
        self.runtime: Runtime | None = None

    async def start(self, runtime: Runtime) -> None:
        assert runtime.migrated and runtime.pool is not None and runtime.link is not None
        assert await runtime.pool.fetchval("SELECT count(*) FROM schema_migrations") > 0
        self.runtime = runtime
        self.log.append(f"start {self.name}")

    async def stop(self) -> None:
        assert self.runtime is not None and self.runtime.pool is not None
        assert await self.runtime.pool.fetchval("SELECT 1") == 1  # the pool is still open
        assert self.runtime.link is not None and self.runtime.link.is_connected
        self.log.append(f"stop {self.name}")


async def test_components_start_after_the_runtime_and_stop_before_it_in_reverse_order(
    settings_for: Callable[..., BaseSettings],
) -> None:
    log: list[str] = []
    settings = settings_for(service="comptest")

    def components(_: BaseSettings, provided: Mapping[str, object]) -> Sequence[Component]:
        second = provided["second"]
        assert isinstance(second, Recorder)
        return [Recorder("first", log), second]

    spec = ServiceSpec(
        name="comptest",
        settings_cls=BaseSettings,
        provides=lambda _: {"second": Recorder("second", log)},
        components=components,
    )
    app = spec.create_app(settings)
    runtime = app.state.runtime
    assert isinstance(runtime, Runtime)
    async with started(app):
        assert log == ["start first", "start second"]
    assert log == ["start first", "start second", "stop second", "stop first"]
    assert runtime.pool is not None and runtime.pool.is_closing()
