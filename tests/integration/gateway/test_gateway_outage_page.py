"""While the gateway's own database is down a portal page answers 503 as a Chinese HTML page
(系统繁忙, ``Retry-After``), and ``/api`` keeps the JSON error body."""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from deploy.local.components import PostgresServer, free_port
from services.kernel.errors import RETRY_AFTER_SECONDS


@pytest.fixture
async def own_postgres(tmp_path: Path) -> AsyncIterator[PostgresServer]:
    """A PostgreSQL for this test's gateway alone (the session's server must stay up)."""
    server = PostgresServer(tmp_path / "pg", free_port(), durable=False)
    await asyncio.to_thread(server.start)
    try:
        yield server
    finally:
        await asyncio.to_thread(server.stop)


async def test_a_portal_page_is_html_while_the_database_is_down(own_postgres, launch, helpers) -> None:
    gateway = await launch(database_url=own_postgres.url)
    cookie = {gateway.settings.session_cookie: secrets.token_urlsafe(32)}  # looked up in the database
    await asyncio.to_thread(own_postgres.stop)

    async with gateway.client(cookies=cookie) as client:
        page = await client.get("/login")
        api = await client.get("/api/identity/me")

    assert page.status_code == 503, page.text
    assert page.headers["content-type"].startswith("text/html")
    assert page.headers["retry-after"] == str(RETRY_AFTER_SECONDS)
    assert page.headers["cache-control"] == "no-store"
    assert "系统繁忙" in page.text
    assert "服务暂时不可用，请稍后再试" in page.text

    assert api.status_code == 503
    assert api.headers["retry-after"] == str(RETRY_AFTER_SECONDS)
    assert helpers.error_of(api).code == "service_unavailable"
