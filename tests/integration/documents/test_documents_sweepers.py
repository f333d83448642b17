"""The sweepers on both stores: the objects of uploads that never committed are deleted once old
enough (and only those: an object this database has no record of is never touched), and the bytes
of documents deleted longer ago than the retention are purged; run as kernel jobs by the app."""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Awaitable, Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import pytest
from litestar import Litestar

from services.documents import handlers, storage
from services.documents.settings import DocumentsSettings
from services.kernel import UnitOfWork
from tests.builders import documents as files
from tests.fixtures.waiting import eventually

from .conftest import Backing, Headers

Upload = Callable[..., Awaitable[httpx.Response]]


def store_of(app: Litestar) -> storage.Store:
    """A store configured as the app's (the same directory or bucket)."""
    settings: DocumentsSettings = app.state.settings
    return storage.store_for(settings)


def uow_of(app: Litestar) -> UnitOfWork:
    found: UnitOfWork = app.state.runtime.uow()
    return found


async def crashed_upload(app: Litestar, pool: asyncpg.Pool[Any], *, age: timedelta = timedelta(0)) -> str:
    """What a process that died between an object's write and its row's commit leaves behind."""
    key = str(uuid.uuid4())
    created = f"now() - make_interval(secs => {age.total_seconds()})"
    await pool.execute(f"INSERT INTO pending_objects (key, created_at) VALUES ($1, {created})", uuid.UUID(key))
    await store_of(app).put(key, files.a_png(), content_type="image/png")
    return key


@pytest.mark.usefixtures("store")
async def test_the_objects_of_uploads_that_never_committed_are_deleted_once_old_enough(
    app: Litestar, upload: Upload, unit: Callable[..., Headers], pool: asyncpg.Pool[Any], backing: Backing
) -> None:
    kept = (await upload(unit(), files.a_png(), filename="kept.png")).json()["id"]
    orphan = await crashed_upload(app, pool)
    foreign = str(uuid.uuid4())  # another database's object in a store shared by mistake
    await store_of(app).put(foreign, files.a_png(), content_type="image/png")
    assert backing.objects() == {kept, orphan, foreign}

    young = await handlers.sweep_orphans(uow_of(app), store=store_of(app), older_than=timedelta(hours=1))
    assert (young, backing.objects()) == (0, {kept, orphan, foreign})

    removed = await handlers.sweep_orphans(uow_of(app), store=store_of(app), older_than=timedelta(0))
    assert (removed, backing.objects()) == (1, {kept, foreign})
    assert await pool.fetchval("SELECT count(*) FROM pending_objects") == 0


@pytest.mark.usefixtures("store")
async def test_deleted_documents_bytes_are_purged_after_the_retention(
    app: Litestar,
    client: httpx.AsyncClient,
    upload: Upload,
    unit: Callable[..., Headers],
    pool: asyncpg.Pool[Any],
    backing: Backing,
) -> None:
    owner = unit()
    old, recent, alive = [
        (await upload(owner, files.a_png(color=(n, 0, 0)), filename=f"{n}.png")).json()["id"] for n in range(3)
    ]
    for document_id in (old, recent):
        assert (await client.delete(f"/documents/{document_id}", headers=owner)).status_code == 204
    await pool.execute("UPDATE documents SET deleted_at = now() - interval '31 days' WHERE id = $1", uuid.UUID(old))

    purged = await handlers.purge_deleted(uow_of(app), store=store_of(app), retention_days=30)

    assert purged == 1
    assert backing.objects() == {recent, alive}
    marked = await pool.fetch("SELECT id::text FROM documents WHERE purged_at IS NOT NULL")
    assert [row["id"] for row in marked] == [old]
    assert await handlers.purge_deleted(uow_of(app), store=store_of(app), retention_days=30) == 0


def _age(path: Path, seconds: float) -> None:
    moment = time.time() - seconds
    os.utime(path, (moment, moment))


@pytest.mark.parametrize("app_settings", [{"documents_sweep_seconds": 0.05}])
async def test_the_app_runs_the_sweepers_as_jobs(
    app: Litestar,
    upload: Upload,
    unit: Callable[..., Headers],
    pool: asyncpg.Pool[Any],
    backing: Backing,
    filesystem: Backing,
) -> None:
    assert backing is filesystem
    kept = (await upload(unit(), files.a_png(), filename="kept.png")).json()["id"]
    await crashed_upload(app, pool, age=timedelta(hours=2))
    in_flight = await crashed_upload(app, pool, age=timedelta(minutes=1))  # maybe still committing
    stale = Path(backing.settings["documents_dir"]) / "tmp" / "unfinished.write"
    stale.write_bytes(b"half")
    _age(stale, 2 * 3600)
    deleted = (await upload(unit(), files.a_png(), filename="gone.png")).json()["id"]
    await pool.execute("UPDATE documents SET deleted_at = now() - interval '31 days' WHERE id = $1", uuid.UUID(deleted))

    async def swept() -> bool:
        return backing.objects() == {kept, in_flight}

    await eventually(swept)
    assert not stale.exists()
