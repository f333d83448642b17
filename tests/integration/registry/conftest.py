"""Fixtures of the registry integration tests: the registry on real PostgreSQL (a fresh database
per test) and a NATS server of its own (its durable consumer starts from the stream's first
event), with helpers to publish approvals and read the register's tables."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass
from typing import Any

import asyncpg
import httpx
import msgspec
import pytest
from litestar import Litestar

from contracts.applications.events import ApplicationApproved, ApprovedLevel, UnitParticulars
from contracts.base import Event
from contracts.subjects import subject_for
from deploy.local.components import NatsServer
from services.kernel import BaseSettings
from services.kernel.db import database_url_for
from services.kernel.nats import NatsLink
from services.registry.app import create_app
from services.registry.settings import RegistrySettings
from tests.fixtures.apps import client_of, started
from tests.fixtures.waiting import eventually

Headers = dict[str, str]
CONSUMER = "registry-applications-approved"


def approval(
    application_type: str = "资质申请",
    *,
    unit_id: str | None = None,
    certificate_type: str = "甲级资质证书",
    jurisdiction: str = "110000",
    number: str | None = None,
    approved_on: dt.date = dt.date(2025, 3, 1),
    levels: tuple[tuple[str, str], ...] = (("工程测量", "甲级"), ("地理信息系统工程", "甲级")),
    credit_code: str = "91110108MA01ABCD1X",
    **fields: Any,
) -> ApplicationApproved:
    """An ApplicationApproved as the applications service publishes it (a fresh application id)."""
    application_id = str(uuid.uuid4())
    return ApplicationApproved(
        aggregate_id=application_id,
        application_id=application_id,
        unit_id=unit_id or f"u-{uuid.uuid4().hex[:8]}",
        revision=0,
        application_type=application_type,
        certificate_type=certificate_type,
        jurisdiction=jurisdiction,
        approved_on=approved_on,
        levels=[ApprovedLevel(category=c, level=lv, sub_items=["测量"] if c == "工程测量" else []) for c, lv in levels],
        certificate_number=number,
        unit=UnitParticulars(
            unit_name="北京测绘有限公司",
            credit_code=credit_code,
            registered_address="北京市海淀区中关村大街1号",
            legal_representative="张三",
        ),
        authority_name="北京市规划和自然资源委员会",
        **fields,
    )


@dataclass(frozen=True)
class Registry:
    app: Litestar
    client: httpx.AsyncClient
    settings: RegistrySettings
    link: NatsLink

    async def db(self) -> asyncpg.Connection[Any]:
        """A direct connection to the registry's database, jsonb decoded (the caller closes it)."""
        conn = await asyncpg.connect(database_url_for(self.settings.database_url, self.settings.database_name))
        await conn.set_type_codec(
            "jsonb", encoder=lambda v: msgspec.json.encode(v).decode(), decoder=msgspec.json.decode, schema="pg_catalog"
        )
        return conn

    async def fetch(self, query: str, *args: Any) -> list[dict[str, Any]]:
        conn = await self.db()
        try:
            return [dict(row) for row in await conn.fetch(query, *args)]
        finally:
            await conn.close()

    async def publish(self, event: Event, *, again: bool = False) -> None:
        """Publish ``event``; ``again``: the same event once more, past the duplicate window."""
        msg_id = f"again-{event.event_id}" if again else str(event.event_id)
        await self.link.js.publish(
            subject_for(type(event)), msgspec.json.encode(event), headers={"Nats-Msg-Id": msg_id}
        )

    async def handled(self, *events: Event) -> None:
        """Wait until the consumer has committed every one of ``events``."""
        wanted = {event.event_id for event in events}

        async def done() -> bool:
            rows = await self.fetch("SELECT event_id FROM inbox WHERE consumer = $1", CONSUMER)
            return wanted <= {row["event_id"] for row in rows}

        await eventually(done)

    async def deliver(self, *events: Event) -> None:
        for event in events:
            await self.publish(event)
        await self.handled(*events)

    async def public_once_shown(self, number: str, headers: Headers) -> httpx.Response:
        """GET /public/certificates/{number} once it no longer answers 404: the in-memory public view
        learns of a certificate a few milliseconds after its commit."""
        answers: list[httpx.Response] = []

        async def shown() -> bool:
            answers.append(await self.client.get(f"/public/certificates/{number}", headers=headers))
            return answers[-1].status_code != 404

        await eventually(shown)
        return answers[-1]

    async def certificate(self, unit_id: str) -> dict[str, Any]:
        rows = await self.fetch("SELECT * FROM certificates WHERE unit_id = $1", unit_id)
        assert len(rows) == 1, rows
        return rows[0]

    async def versions(self, number: str) -> list[dict[str, Any]]:
        return await self.fetch(
            """SELECT v.* FROM certificate_versions v JOIN certificates c ON c.id = v.certificate_id
               WHERE c.number = $1 ORDER BY v.version""",
            number,
        )

    async def emitted(self, number: str) -> list[dict[str, Any]]:
        """The outbox rows of the certificate ``number``, decoded, in order."""
        rows = await self.fetch("SELECT payload FROM outbox WHERE aggregate_id = $1 ORDER BY id", number)
        return [msgspec.json.decode(row["payload"]) for row in rows]


@pytest.fixture(scope="package")
def registry_nats(tmp_path_factory: pytest.TempPathFactory) -> Iterator[NatsServer]:
    server = NatsServer(tmp_path_factory.mktemp("registry-nats")).start()
    yield server
    server.stop()


@pytest.fixture
async def registry(settings_for: Callable[..., BaseSettings], registry_nats: NatsServer) -> AsyncIterator[Registry]:
    """The registry on its own fresh database (no HSM: versions wait for their document)."""
    settings = settings_for(RegistrySettings, service="registry", nats_url=registry_nats.url, pkcs11_module="")
    assert isinstance(settings, RegistrySettings)
    app = create_app(settings)
    link = NatsLink(registry_nats.url, name="registry-test")
    await link.connect()
    try:
        async with started(app), client_of(app) as client:
            yield Registry(app=app, client=client, settings=settings, link=link)
    finally:
        await link.close()
