"""Fixtures of the documents integration tests: the app on real PostgreSQL and NATS, its store a
directory or a bucket on the S3 server (``store`` parametrizes a test over both), and a way to
see what the store, the table and the outbox hold without going through the service's code."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import pytest
from litestar import Litestar

from services.documents.app import create_app
from services.documents.settings import DocumentsSettings
from tests.fixtures.apps import client_of, started

Headers = dict[str, str]
STORES = ["filesystem", "s3"]


@dataclass(frozen=True)
class Backing:
    """Where the app under test keeps its bytes, and how the test lists them independently."""

    kind: str
    settings: dict[str, Any]
    objects: Callable[[], set[str]]


@pytest.fixture(params=STORES)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Backing:
    """The store of the app under test: a fresh directory, or a fresh bucket on the S3 server."""
    if request.param == "s3":
        bucket = request.getfixturevalue("s3_bucket")
        return Backing(
            "s3", bucket.settings(), lambda: {key.removeprefix("documents/") for key in bucket.object_keys()}
        )
    root = tmp_path / "documents"
    return Backing(
        "filesystem",
        {"documents_dir": str(root)},
        lambda: {path.name for path in root.rglob("*") if path.is_file()},
    )


@pytest.fixture
def filesystem(tmp_path: Path) -> Backing:
    """The default store, for tests about something else than storage."""
    root = tmp_path / "documents"
    return Backing("filesystem", {"documents_dir": str(root)}, lambda: {p.name for p in root.rglob("*") if p.is_file()})


@pytest.fixture
def make_app(settings_for: Callable[..., DocumentsSettings]) -> Callable[..., Litestar]:
    def build(backing: Backing, **overrides: object) -> Litestar:
        # The sweepers run when a test asks for them (or runs them itself).
        options: dict[str, object] = {"documents_sweep_seconds": 3600.0, **backing.settings, **overrides}
        return create_app(settings_for(DocumentsSettings, service="documents", **options))

    return build


@pytest.fixture
def app_settings() -> dict[str, object]:
    """Overrides of the app's settings (a test module or test may override this fixture)."""
    return {}


@pytest.fixture
def backing(request: pytest.FixtureRequest) -> Backing:
    """``store`` when the test asks for it (both stores), else the default filesystem."""
    found: Backing = request.getfixturevalue("store" if "store" in request.fixturenames else "filesystem")
    return found


@pytest.fixture
async def app(
    make_app: Callable[..., Litestar], backing: Backing, app_settings: dict[str, object]
) -> AsyncIterator[Litestar]:
    async with started(make_app(backing, **app_settings)) as app:
        yield app


@pytest.fixture
async def client(app: Litestar) -> AsyncIterator[httpx.AsyncClient]:
    async with client_of(app, "http://documents") as client:
        yield client


@pytest.fixture
def pool(app: Litestar) -> asyncpg.Pool[Any]:
    found: asyncpg.Pool[Any] = app.state.runtime.pool
    return found


@pytest.fixture
def unit(sign: Callable[..., Headers]) -> Callable[..., Headers]:
    """``unit(unit_id)``: headers of a user of that unit (a fresh unit when none is named)."""

    def headers(unit_id: str | None = None) -> Headers:
        return sign(role="unit", unit_id=unit_id or str(uuid.uuid4()), audience="documents")

    return headers


@pytest.fixture
def authority(sign: Callable[..., Headers]) -> Callable[..., Headers]:
    def headers(jurisdiction: str, role: str = "authority") -> Headers:
        return sign(role=role, jurisdiction=jurisdiction, audience="documents", roles=("review",))

    return headers


@pytest.fixture
def service(sign: Callable[..., Headers]) -> Headers:
    """The applications service acting for itself (it freezes documents on submission)."""
    return sign(role="system", account_id="service:applications", audience="documents")


@pytest.fixture
def upload(client: httpx.AsyncClient) -> Callable[..., Awaitable[httpx.Response]]:
    """``await upload(headers, data, filename=…, purpose=…, content_type=…)``: POST /documents."""

    async def post(
        headers: Headers,
        data: bytes,
        *,
        filename: str = "scan.png",
        purpose: str | None = "申请书",
        content_type: str | None = None,
    ) -> httpx.Response:
        fields = {} if purpose is None else {"purpose": purpose}
        part = (filename, data) if content_type is None else (filename, data, content_type)
        return await client.post("/documents", data=fields, files={"file": part}, headers=headers)

    return post


@dataclass(frozen=True)
class Snapshot:
    keys: frozenset[str]
    rows: int
    outbox: int
    usage: int
    pending: int


@pytest.fixture
def snapshot(backing: Backing, pool: asyncpg.Pool[Any]) -> Callable[[], Awaitable[Snapshot]]:
    """What the store, the documents table, the outbox, the units' usage and the pending objects hold now."""

    async def take() -> Snapshot:
        row = await pool.fetchrow(
            "SELECT (SELECT count(*) FROM documents), (SELECT count(*) FROM outbox),"
            " (SELECT coalesce(sum(bytes), 0) FROM unit_usage), (SELECT count(*) FROM pending_objects)"
        )
        assert row is not None
        return Snapshot(
            keys=frozenset(backing.objects()), rows=row[0], outbox=row[1], usage=int(row[2]), pending=row[3]
        )

    return take
