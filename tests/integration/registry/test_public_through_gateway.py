"""The public routes through a real gateway: a visitor without a session gets the anonymous token
(and the registry accepts it), limited per IP (429, Retry-After, Chinese); any other anonymous
/api request is refused as before."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from services.kernel import Runtime
from services.registry.app import create_app
from services.registry.handlers import approvals
from tests.fixtures.servers import serve

from .conftest import Registry, approval


async def test_a_visitor_without_a_session_may_look_up_a_number_within_the_limit(
    registry: Registry, launch: Callable[..., Awaitable[Any]]
) -> None:
    runtime = registry.app.state.runtime
    assert isinstance(runtime, Runtime)
    event = approval()
    await approvals.apply_approval(event, runtime.uow())
    number = (await registry.certificate(event.unit_id))["number"]
    # A second registry process on the same database, served for real: granian runs its lifespan (a
    # second start of the fixture's running app would replace its pool, consumer and jobs, and leave
    # the first ones running after the test, taking later tests' events from the shared consumer).
    async with serve(create_app(registry.settings)) as registry_url:
        gateway = await launch(registry=registry_url, public_limit_per_ip=3, public_limit_window_seconds=60.0)
        async with gateway.client() as client:
            found = await client.get(f"/api/registry/public/certificates/{number}")
            unknown = await client.get("/api/registry/public/certificates/甲测资字11999999")
            malformed = await client.get("/api/registry/public/certificates/abc")
            limited = await client.get(f"/api/registry/public/certificates/{number}")
            private = await client.get("/api/registry/certificates/mine")
    assert found.status_code == 200, found.text
    assert (found.json()["number"], found.json()["status"]) == (number, "有效")
    assert unknown.status_code == malformed.status_code == 404
    assert unknown.json() == malformed.json()
    assert limited.status_code == 429
    assert (limited.json()["message"], limited.headers["retry-after"]) == ("查询过于频繁，请稍后再试", "60")
    assert private.status_code == 401
