"""Applications answers only what its ``/schema/openapi.json`` documents (schemathesis, every check
but positive-data acceptance), called directly with a valid internal token, as a unit, an authority
and the administrator.

Its neighbours (staffing, documents, standards) run beside it. The units replica holds the calling
unit (what identity's UnitAccountRegisteredV2 leaves there) and one draft 新单位注册 of its own,
whose id and page keys are the path vocabulary: without them every work route would only ever
answer 404, and the unit's routes 503 (unit not known).
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AsyncExitStack
from dataclasses import dataclass
from typing import Any

import asyncpg
import httpx
import pytest

from contracts.auth import Caller
from services.applications.app import create_app
from services.applications.settings import ApplicationsSettings
from services.kernel import BaseSettings, generate_keypair
from services.kernel.db import database_url_for
from services.kernel.openapi import SECURITY_SCHEME
from tests.contract.conftest import fetch_document, operations_of
from tests.contract.runner import Outcome
from tests.fixtures.servers import serve

CREDIT_CODE = "91110000MA01ABCD1X"
UNIT = Caller(account_id=str(uuid.uuid4()), role="unit", unit_id=str(uuid.uuid4()), username="unit_contract")
AUTHORITY = Caller(
    account_id=str(uuid.uuid4()),
    role="authority",
    jurisdiction="110000",
    roles=("acceptance", "review", "approval"),
    org_name="北京市规划和自然资源委员会",
)
ADMIN = Caller(account_id=str(uuid.uuid4()), role="admin", jurisdiction="000000", username="admin")
REACHED = {  # 2xx each caller's run must reach on the main routes, else the vocabulary no longer gets there
    "unit": {"GET /types": {200}, "GET /works": {200}, "GET /works/{application_id}": {200}},
    "authority": {"GET /queue": {200}},
    "admin": {"GET /calendar/{year}": {200}},
}


@dataclass(frozen=True)
class Applications:
    url: str
    work_id: str


async def _neighbours(start_service: Callable[..., Awaitable[str]], public_key: str) -> dict[str, str]:
    accepts = {"service_token_public_keys": f"applications={public_key}"}
    return {name: await start_service(name, **accepts) for name in ("staffing", "documents", "standards")}


async def _seed_unit(settings: ApplicationsSettings) -> None:
    conn = await asyncpg.connect(database_url_for(settings.database_url, settings.database_name))
    try:
        await conn.execute(
            "INSERT INTO units (unit_id, unit_name, credit_code) VALUES ($1, '契约测试测绘有限公司', $2)",
            UNIT.unit_id,
            CREDIT_CODE,
        )
    finally:
        await conn.close()


@pytest.fixture
async def applications(
    start_service: Callable[..., Awaitable[str]],
    settings_for: Callable[..., BaseSettings],
    token: Callable[..., str],
) -> AsyncIterator[Applications]:
    private, public = generate_keypair()
    urls = await _neighbours(start_service, public)
    settings = settings_for(
        ApplicationsSettings, service="applications", internal_token_private_key=private, service_urls=urls
    )
    assert isinstance(settings, ApplicationsSettings)
    async with AsyncExitStack() as stack:
        url = await stack.enter_async_context(serve(create_app(settings)))
        await _seed_unit(settings)
        headers = {"x-internal-token": token("applications", UNIT)}
        async with httpx.AsyncClient(base_url=url, headers=headers) as client:
            created = await client.post(
                "/works", json={"application_type": "新单位注册", "certificate_type": "乙级资质证书"}
            )
        assert created.status_code == 201, created.text
        yield Applications(url=url, work_id=created.json()["id"])


def _vocabulary(work_id: str) -> dict[str, Any]:
    words = {
        "application_id": ([work_id], {"path.application_id": 0.9}),
        "page_key": (["unit_info", "leaders"], {"path.key": 0.9}),
        "work_state": (["submitted", "accepted", "draft"], {"query.state": 0.7}),
    }
    return {
        "dictionaries": {name: {"values": values} for name, (values, _) in words.items()},
        "parameters": {
            binding: {"dictionary": name, "probability": probability}
            for name, (_, bound) in words.items()
            for binding, probability in bound.items()
        },
    }


async def test_applications_answers_only_what_it_documents(
    applications: Applications,
    token: Callable[..., str],
    schemathesis_run: Callable[..., Awaitable[Outcome]],
) -> None:
    document = await fetch_document(f"{applications.url}/schema/openapi.json")

    for caller in (UNIT, AUTHORITY, ADMIN):
        auth = {SECURITY_SCHEME: token("applications", caller)}
        outcome = await schemathesis_run(
            document, base_url=applications.url, auth=auth, vocabulary=_vocabulary(applications.work_id)
        )

        assert outcome.problems == [], f"applications as {caller.role}:\n{outcome.report()}"
        assert outcome.operations == operations_of(document)
        for operation, statuses in REACHED[caller.role].items():
            assert statuses <= outcome.answered[operation], (caller.role, operation, outcome.answered[operation])
