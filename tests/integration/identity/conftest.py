"""Fixtures and builders of identity's integration tests: the app on real PostgreSQL and NATS.

The app runs in the test's own event loop (tests/fixtures/apps.py explains why).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Any

import asyncpg
import httpx
import pytest
from litestar import Litestar

from services.identity.app import create_app
from services.identity.settings import IdentitySettings
from tests.builders.identity import a_registration
from tests.fixtures.apps import client_of, started


@pytest.fixture
def make_app(settings_for: Callable[..., IdentitySettings]) -> Callable[..., Litestar]:
    def build(**overrides: object) -> Litestar:
        return create_app(settings_for(IdentitySettings, service="identity", **overrides))

    return build


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
