"""Fixtures and builders of identity's integration tests: the app on real PostgreSQL and NATS.

The app runs in the test's own event loop (tests/fixtures/apps.py explains why).
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import asyncpg
import httpx
import pytest
from litestar import Litestar

from deploy.local.components import NatsServer
from services.identity.app import create_app
from services.identity.settings import IdentitySettings
from tests.builders.identity import PASSWORD, a_registration
from tests.fixtures.apps import client_of, started


@pytest.fixture(scope="package")
def identity_nats(tmp_path_factory: pytest.TempPathFactory) -> Iterator[NatsServer]:
    """A NATS server of identity's tests' own: identity's approvals consumer starts from the first
    event of the applications stream, and on the session's server it would first wade through
    every approval the other packages' tests published."""
    server = NatsServer(tmp_path_factory.mktemp("identity-nats")).start()
    yield server
    server.stop()


@pytest.fixture
def make_app(settings_for: Callable[..., IdentitySettings], identity_nats: NatsServer) -> Callable[..., Litestar]:
    def build(**overrides: object) -> Litestar:
        settings = {"nats_url": identity_nats.url, **overrides}
        return create_app(settings_for(IdentitySettings, service="identity", **settings))

    return build


def an_authority_account(**overrides: Any) -> dict[str, Any]:
    """A valid 新建主管部门账户 request with a fresh username (北京, all three roles)."""
    form = {
        "username": f"gov{uuid.uuid4().hex[:10]}",
        "password": PASSWORD,
        "org_name": "北京市规划和自然资源委员会",
        "jurisdiction": "110000",
        "roles": ["acceptance", "review", "approval"],
    }
    return {**form, **overrides}


@pytest.fixture
async def app(request: pytest.FixtureRequest, make_app: Callable[..., Litestar]) -> AsyncIterator[Litestar]:
    """The identity app, started (pool, migrations, NATS, outbox relay) and stopped around the test.

    Settings overrides come from indirect parametrization (``parametrize("app", [{...}], indirect=True)``).
    The lifespan runs in a task of its own: its anyio task group must be left in the task that
    entered it, and pytest-asyncio tears a fixture down in another task.
    """
    async with started(make_app(**getattr(request, "param", {}))) as app:
        yield app


@pytest.fixture
async def client(app: Litestar) -> AsyncIterator[httpx.AsyncClient]:
    async with client_of(app, "http://identity") as client:
        yield client


@pytest.fixture
def pool(app: Litestar) -> asyncpg.Pool[Any]:
    """The app's own pool."""
    result: asyncpg.Pool[Any] = app.state.runtime.pool
    return result


@pytest.fixture
def system(sign: Callable[..., dict[str, str]]) -> dict[str, str]:
    """Headers of the gateway acting for an anonymous portal visitor."""
    return sign(role="system")


@pytest.fixture
def register(client: httpx.AsyncClient, system: dict[str, str]) -> Callable[..., Any]:
    """``await register(**overrides)`` -> the 201 body of a fresh registration."""

    async def run(**overrides: Any) -> dict[str, Any]:
        response = await client.post("/accounts", json=a_registration(**overrides), headers=system)
        assert response.status_code == 201, response.text
        body: dict[str, Any] = response.json()
        return body

    return run


@pytest.fixture
def form() -> Callable[..., dict[str, Any]]:
    """``form(**overrides)``: a valid 注册 form with fresh username, unit name and credit code."""
    return a_registration


@pytest.fixture
def admin(sign: Callable[..., dict[str, str]]) -> dict[str, str]:
    """Headers of the platform administrator (自然资源部)."""
    return sign(role="admin", jurisdiction="000000", org_name="自然资源部")


@pytest.fixture
def add_authority(client: httpx.AsyncClient, admin: dict[str, str]) -> Callable[..., Any]:
    """``await add_authority(**overrides)`` -> the 201 body of a fresh authority account."""

    async def run(**overrides: Any) -> dict[str, Any]:
        response = await client.post("/authority-accounts", json=an_authority_account(**overrides), headers=admin)
        assert response.status_code == 201, response.text
        body: dict[str, Any] = response.json()
        return body

    return run
