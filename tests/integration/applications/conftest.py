"""Fixtures of the applications integration tests: applications on a fresh database per test, with
the real staffing, documents and standards services it calls served once for the package (they
accept applications' system tokens), and a package-scoped NATS of these tests' own.

``desk`` is the way in: ``desk.client`` (httpx on the app), ``desk.db()`` (a direct connection),
``desk.add_unit(...)`` and ``desk.add_certificate(...)`` (what the identity and registry events
would leave in the replicas), ``desk.upload(headers, purpose)`` (a real document), and
``desk.unit(...)`` / ``desk.authority(...)`` for callers' headers.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import AsyncIterator, Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import asyncpg
import httpx
import pytest
from litestar import Litestar

from deploy.local.components import NatsServer
from services.applications.app import create_app as create_applications
from services.applications.settings import ApplicationsSettings
from services.documents.app import create_app as create_documents
from services.documents.settings import DocumentsSettings
from services.kernel import BaseSettings, generate_keypair
from services.kernel.db import database_url_for
from services.staffing.app import create_app as create_staffing
from services.staffing.settings import StaffingSettings
from services.standards.app import create_app as create_standards
from services.standards.settings import StandardsSettings
from tests.builders.documents import a_jpeg
from tests.fixtures.apps import client_of, started
from tests.fixtures.servers import serve

Headers = dict[str, str]

CREDIT_CODE = "91110000MA01ABCD1X"
"""A 统一社会信用代码 registered in 北京 (characters 3–8: 110000)."""


def credit_code_in(province: str, tail: str = "MA01ABCD1X") -> str:
    """A credit code whose registration division is ``province`` (``320000`` → 江苏)."""
    return f"91{province}{tail}"


@dataclass(frozen=True)
class Neighbours:
    """The services applications calls, and applications' key they accept."""

    private_key: str
    documents_url: str
    standards_url: str
    staffing_url: str
    nats_url: str
    staffing_database: str
    """staffing's own database (a roster written straight into it)."""


@dataclass(frozen=True)
class Desk:
    """The running applications app and what the tests need around it."""

    app: Litestar
    client: httpx.AsyncClient
    settings: ApplicationsSettings
    neighbours: Neighbours
    sign: Callable[..., Headers]

    async def db(self) -> asyncpg.Connection[Any]:
        """A direct connection to applications' database (the caller closes it)."""
        return await asyncpg.connect(database_url_for(self.settings.database_url, self.settings.database_name))

    def unit(self, unit_id: str) -> Headers:
        """A unit account's headers for ``unit_id`` (a fresh account id)."""
        return self.sign(account_id=str(uuid.uuid4()), role="unit", unit_id=unit_id)

    def authority(
        self, jurisdiction: str = "110000", roles: Sequence[str] = ("acceptance", "review", "approval")
    ) -> Headers:
        return self.sign(
            account_id=str(uuid.uuid4()),
            role="authority",
            jurisdiction=jurisdiction,
            roles=tuple(roles),
            org_name="测试自然资源主管部门",
        )

    async def add_unit(
        self,
        unit_id: str | None = None,
        name: str = "测试测绘有限公司",
        credit_code: str = CREDIT_CODE,
        *,
        verified: bool = False,
        registered_address: str | None = None,
        legal_representative: str | None = None,
    ) -> str:
        """What identity's UnitAccountRegisteredV2 (and UnitVerified) leave in the units replica."""
        unit_id = unit_id or str(uuid.uuid4())
        conn = await self.db()
        try:
            await conn.execute(
                """INSERT INTO units (unit_id, unit_name, credit_code, verified, registered_address,
                                      legal_representative) VALUES ($1, $2, $3, $4, $5, $6)""",
                unit_id,
                name,
                credit_code,
                verified,
                registered_address,
                legal_representative,
            )
        finally:
            await conn.close()
        return unit_id

    async def add_certificate(
        self,
        unit_id: str | None,
        credit_code: str = CREDIT_CODE,
        certificate_type: str = "乙级资质证书",
        *,
        number: str | None = None,
        regime: str = "2021",
        level: str = "",
        categories: Sequence[tuple[str, str]] = (("工程测量", "乙级"),),
        status: str = "valid",
    ) -> str:
        """What the registry's CertificateIssued leaves in the certificates replica; its number."""
        number = number or f"T{uuid.uuid4().hex[:10].upper()}"
        conn = await self.db()
        try:
            await conn.execute(
                """INSERT INTO certificates (number, certificate_id, unit_id, credit_code, certificate_type, level,
                                             regime, categories, status, valid_until)
                   VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9, $10)""",
                number,
                str(uuid.uuid4()),
                unit_id,
                credit_code,
                certificate_type,
                level,
                regime,
                json.dumps([{"category": c, "level": lv, "sub_items": []} for c, lv in categories]),
                status,
                dt.date.today() + dt.timedelta(days=365),
            )
        finally:
            await conn.close()
        return number

    async def upload(self, headers: Headers, purpose: str, content: bytes | None = None) -> str:
        """Upload a document as the unit of ``headers`` to the real documents service; its id."""
        async with httpx.AsyncClient(base_url=self.neighbours.documents_url) as documents:
            answer = await documents.post(
                "/documents",
                headers=headers,
                data={"purpose": purpose},
                files={"file": ("scan.jpg", content or a_jpeg(), "image/jpeg")},
            )
        assert answer.status_code == 201, answer.text
        return str(answer.json()["id"])

    async def registered_unit(self, credit_code: str = CREDIT_CODE, **kwargs: Any) -> tuple[str, Headers]:
        """A unit whose 新单位注册 was approved (verified), and its headers."""
        unit_id = await self.add_unit(credit_code=credit_code, verified=True, **kwargs)
        return unit_id, self.unit(unit_id)


@pytest.fixture(scope="package")
def applications_nats(tmp_path_factory: pytest.TempPathFactory) -> Iterator[NatsServer]:
    """A NATS server of these tests' own (durable consumers start from each stream's first event)."""
    server = NatsServer(tmp_path_factory.mktemp("applications-nats")).start()
    yield server
    server.stop()


@pytest.fixture(scope="package")
async def neighbours(
    settings_for: Callable[..., BaseSettings],
    tmp_path_factory: pytest.TempPathFactory,
    applications_nats: NatsServer,
) -> AsyncIterator[Neighbours]:
    """Documents, standards and staffing, served once for the applications tests."""
    private, public = generate_keypair()
    staffing_private, staffing_public = generate_keypair()
    nats = {"nats_url": applications_nats.url}
    accepts = {"service_token_public_keys": f"applications={public},staffing={staffing_public}", **nats}
    documents_dir = tmp_path_factory.mktemp("applications-documents")
    documents_settings = settings_for(
        DocumentsSettings, service="documents", documents_dir=str(documents_dir), **accepts
    )
    standards_settings = settings_for(StandardsSettings, service="standards", **accepts)
    assert isinstance(standards_settings, StandardsSettings)
    async with (
        serve(create_documents(documents_settings)) as documents_url,
        serve(create_standards(standards_settings)) as standards_url,
    ):
        staffing_settings = settings_for(
            StaffingSettings,
            service="staffing",
            internal_token_private_key=staffing_private,
            service_urls={"documents": documents_url, "standards": standards_url},
            service_token_public_keys=f"applications={public}",
            **nats,
        )
        async with serve(create_staffing(staffing_settings)) as staffing_url:
            yield Neighbours(
                private_key=private,
                documents_url=documents_url,
                standards_url=standards_url,
                staffing_url=staffing_url,
                nats_url=applications_nats.url,
                staffing_database=database_url_for(staffing_settings.database_url, staffing_settings.database_name),
            )


@pytest.fixture
async def desk(
    settings_for: Callable[..., BaseSettings], neighbours: Neighbours, sign: Callable[..., Headers]
) -> AsyncIterator[Desk]:
    """Applications on its own fresh database, with its neighbours beside it."""
    settings = settings_for(
        ApplicationsSettings,
        service="applications",
        internal_token_private_key=neighbours.private_key,
        service_urls={
            "documents": neighbours.documents_url,
            "standards": neighbours.standards_url,
            "staffing": neighbours.staffing_url,
        },
        nats_url=neighbours.nats_url,
    )
    assert isinstance(settings, ApplicationsSettings)
    app = create_applications(settings)
    async with started(app), client_of(app) as client:
        yield Desk(app=app, client=client, settings=settings, neighbours=neighbours, sign=sign)
