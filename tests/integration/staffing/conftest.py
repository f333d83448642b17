"""Fixtures of the staffing integration tests: staffing on real PostgreSQL and NATS, with the real
documents and standards services it calls served on ports beside it (staffing signs its system
tokens with its own key, which they accept), and a unit's way to upload a document to attach."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass
from typing import Any

import asyncpg
import httpx
import pytest
from litestar import Litestar

from deploy.local.components import NatsServer
from services.documents.app import create_app as create_documents
from services.documents.settings import DocumentsSettings
from services.kernel import BaseSettings, generate_keypair
from services.kernel.db import database_url_for
from services.kernel.nats import NatsLink
from services.staffing.app import create_app as create_staffing
from services.staffing.protection import Protector
from services.staffing.settings import StaffingSettings
from services.standards.app import create_app as create_standards
from services.standards.settings import StandardsSettings
from tests.builders.documents import a_jpeg
from tests.fixtures.apps import client_of, started
from tests.fixtures.infra import TEST_SECRETS
from tests.fixtures.servers import serve

Headers = dict[str, str]


@dataclass(frozen=True)
class Roster:
    """The running staffing app, its client, its settings, and the documents service's URL."""

    app: Litestar
    client: httpx.AsyncClient
    settings: StaffingSettings
    documents_url: str

    async def db(self) -> asyncpg.Connection[Any]:
        """A direct connection to staffing's database (the caller closes it)."""
        return await asyncpg.connect(database_url_for(self.settings.database_url, self.settings.database_name))

    async def upload(self, headers: Headers, purpose: str, content: bytes | None = None) -> str:
        """Upload a document as the unit of ``headers`` to the real documents service; its id."""
        async with httpx.AsyncClient(base_url=self.documents_url) as documents:
            answer = await documents.post(
                "/documents",
                headers=headers,
                data={"purpose": purpose},
                files={"file": ("scan.jpg", content or a_jpeg(), "image/jpeg")},
            )
        assert answer.status_code == 201, answer.text
        return str(answer.json()["id"])

    async def add_unit(self, unit_id: str, unit_name: str, credit_code: str = "91110000MA01ABCD1X") -> None:
        """What identity's UnitAccountRegistered would leave in staffing's replica of units."""
        conn = await self.db()
        try:
            await conn.execute(
                """INSERT INTO units (unit_id, unit_name, credit_code, jurisdiction) VALUES ($1, $2, $3, $4)
                   ON CONFLICT (unit_id) DO UPDATE SET unit_name = excluded.unit_name""",
                unit_id,
                unit_name,
                credit_code,
                f"{credit_code[2:4]}0000",
            )
        finally:
            await conn.close()


@pytest.fixture
def protector() -> Protector:
    """The test session's staffing keys (what the app under test encrypts and hashes with)."""
    return Protector(TEST_SECRETS["staffing_data_key"], TEST_SECRETS["staffing_hash_key"])


@dataclass(frozen=True)
class Neighbours:
    """The documents and standards services staffing calls, and staffing's key they accept."""

    private_key: str
    documents_url: str
    standards_url: str
    nats_url: str


@pytest.fixture(scope="package")
def staffing_nats(tmp_path_factory: pytest.TempPathFactory) -> Iterator[NatsServer]:
    """A NATS server of the staffing tests' own: staffing's durable consumers start from the first
    event of each stream, and on the session's server they would first wade through every event
    the other packages' tests published."""
    server = NatsServer(tmp_path_factory.mktemp("staffing-nats")).start()
    yield server
    server.stop()


@pytest.fixture(scope="package")
async def neighbours(
    settings_for: Callable[..., BaseSettings], tmp_path_factory: pytest.TempPathFactory, staffing_nats: NatsServer
) -> AsyncIterator[Neighbours]:
    """Documents and standards, served once for the staffing tests (each test's units are fresh,
    so they never see each other's documents)."""
    private, public = generate_keypair()
    accepts_staffing = {"service_token_public_keys": f"staffing={public}", "nats_url": staffing_nats.url}
    documents_dir = tmp_path_factory.mktemp("staffing-documents")
    documents_settings = settings_for(
        DocumentsSettings, service="documents", documents_dir=str(documents_dir), **accepts_staffing
    )
    standards_settings = settings_for(StandardsSettings, service="standards", **accepts_staffing)
    assert isinstance(standards_settings, StandardsSettings)
    async with (
        serve(create_documents(documents_settings)) as documents_url,
        serve(create_standards(standards_settings)) as standards_url,
    ):
        yield Neighbours(
            private_key=private, documents_url=documents_url, standards_url=standards_url, nats_url=staffing_nats.url
        )


@pytest.fixture
async def link(staffing_nats: NatsServer) -> AsyncIterator[NatsLink]:
    """A NATS connection of the test's own, to publish other services' events to staffing."""
    link = NatsLink(staffing_nats.url, name="staffing-consumer-test")
    await link.connect()
    yield link
    await link.close()


@pytest.fixture
async def roster(settings_for: Callable[..., BaseSettings], neighbours: Neighbours) -> AsyncIterator[Roster]:
    """Staffing on its own fresh database, with documents and standards beside it."""
    settings = settings_for(
        StaffingSettings,
        service="staffing",
        internal_token_private_key=neighbours.private_key,
        service_urls={"documents": neighbours.documents_url, "standards": neighbours.standards_url},
        nats_url=neighbours.nats_url,
    )
    assert isinstance(settings, StaffingSettings)
    app = create_staffing(settings)
    async with started(app), client_of(app) as client:
        yield Roster(app=app, client=client, settings=settings, documents_url=neighbours.documents_url)


@pytest.fixture
def unit_headers(sign: Callable[..., Headers]) -> Callable[..., Headers]:
    """``unit_headers(unit_id)``: a unit account's token for that unit (a fresh account id)."""

    def headers(unit_id: str | None = None) -> Headers:
        return sign(account_id=str(uuid.uuid4()), role="unit", unit_id=unit_id or f"u-{uuid.uuid4().hex[:8]}")

    return headers
