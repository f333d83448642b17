"""Every service is a runnable app: own database and migrations, /healthz, /readyz, /schema, auth."""

from __future__ import annotations

import importlib

import asyncpg
import pytest
from litestar.testing import AsyncTestClient

from services.kernel.db import database_url_for

SKELETONS = ["applications", "registry", "staffing"]


@pytest.mark.parametrize("name", SKELETONS)
async def test_service_starts_migrates_and_reports_ready(name: str, settings_for) -> None:  # type: ignore[no-untyped-def]
    module = importlib.import_module(f"services.{name}.app")
    settings = settings_for(module.SPEC.settings_cls, service=name)
    app = module.create_app(settings)
    async with AsyncTestClient(app) as client:
        assert (await client.get("/healthz")).json()["status"] == "alive"
        ready = await client.get("/readyz")
        assert ready.status_code == 200
        assert ready.json()["checks"] == {"database": "ready", "nats": "ready"}
        schema = await client.get("/schema/openapi.json")
        assert schema.status_code == 200
        assert schema.json()["info"]["title"] == f"qual-{name}"
        unknown = await client.get("/anything")
        assert unknown.status_code == 404
        assert unknown.json() == {"code": "not_found", "message": "请求的资源不存在", "details": None}
        conn = await asyncpg.connect(database_url_for(settings.database_url, settings.database_name))
        try:
            versions = {row["version"] for row in await conn.fetch("SELECT version FROM schema_migrations")}
        finally:
            await conn.close()
        migrations = module.SPEC.migrations
    assert versions == {"kernel/0001_outbox_inbox.sql", *(f"{name}/{path.name}" for path in migrations.glob("*.sql"))}
