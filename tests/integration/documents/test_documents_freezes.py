"""冻结 on submission: all of an application's documents or none, once per (application, revision),
told by DocumentsFrozen; a frozen document can no longer be deleted and becomes readable by the
authorities whose jurisdiction covers the freeze."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

import asyncpg
import httpx
import pytest

from contracts import catalog
from contracts.documents.events import DocumentsFrozen
from tests.builders import documents as files

from .conftest import Headers, Snapshot

Upload = Callable[..., Awaitable[httpx.Response]]


@pytest.fixture
def owner(unit: Callable[..., Headers]) -> tuple[str, Headers]:
    unit_id = str(uuid.uuid4())
    return unit_id, unit(unit_id)


@pytest.fixture
def stored(upload: Upload, owner: tuple[str, Headers]) -> Callable[[int], Awaitable[list[str]]]:
    """``await stored(n)``: ids of ``n`` fresh documents of the owner."""

    async def make(count: int) -> list[str]:
        ids = []
        for index in range(count):
            response = await upload(owner[1], files.a_png(color=(index, 9, 9)), filename=f"{index}.png")
            assert response.status_code == 201, response.text
            ids.append(response.json()["id"])
        return ids

    return make


def freeze_of(unit_id: str, document_ids: list[str], **overrides: Any) -> dict[str, Any]:
    request = {
        "application_id": str(uuid.uuid4()),
        "revision": 1,
        "unit_id": unit_id,
        "jurisdiction": "350000",
        "document_ids": document_ids,
    }
    return {**request, **overrides}


async def frozen_events(pool: asyncpg.Pool[Any]) -> list[DocumentsFrozen]:
    rows = await pool.fetch("SELECT payload FROM outbox ORDER BY id")
    return [event for row in rows if isinstance(event := catalog.decoder.decode(row["payload"]), DocumentsFrozen)]


async def test_a_freeze_holds_every_document_and_tells(
    client: httpx.AsyncClient,
    service: Headers,
    owner: tuple[str, Headers],
    stored: Callable[[int], Awaitable[list[str]]],
    pool: asyncpg.Pool[Any],
) -> None:
    ids = await stored(3)
    request = freeze_of(owner[0], [ids[2], ids[0], ids[1]])

    response = await client.post("/freezes", json=request, headers=service)

    assert response.status_code == 201, response.text
    body = response.json()
    assert {key: body[key] for key in request} == request
    for document_id in ids:
        assert (await client.get(f"/documents/{document_id}", headers=owner[1])).json()["frozen"] is True
        refused = await client.delete(f"/documents/{document_id}", headers=owner[1])
        assert refused.status_code == 409 and refused.json()["code"] == "document_frozen"
    [event] = await frozen_events(pool)
    assert (event.application_id, event.revision, event.unit_id, event.jurisdiction) == (
        request["application_id"],
        1,
        owner[0],
        "350000",
    )
    assert [item.document_id for item in event.documents] == request["document_ids"]
    assert {item.purpose for item in event.documents} == {"申请书"}


@pytest.mark.parametrize("offence", ["missing", "deleted", "another-units", "not-an-id"])
async def test_a_freeze_with_one_bad_document_freezes_none_and_names_it(
    client: httpx.AsyncClient,
    service: Headers,
    owner: tuple[str, Headers],
    stored: Callable[[int], Awaitable[list[str]]],
    upload: Upload,
    unit: Callable[..., Headers],
    snapshot: Callable[[], Awaitable[Snapshot]],
    pool: asyncpg.Pool[Any],
    offence: str,
) -> None:
    good = await stored(2)
    if offence == "missing":
        bad = str(uuid.uuid4())
    elif offence == "deleted":
        [bad] = await stored(1)
        assert (await client.delete(f"/documents/{bad}", headers=owner[1])).status_code == 204
    elif offence == "another-units":
        bad = (await upload(unit(), files.a_png(), filename="theirs.png")).json()["id"]
    else:
        bad = "../../etc/passwd"
    before = await snapshot()

    response = await client.post("/freezes", json=freeze_of(owner[0], [good[0], bad, good[1]]), headers=service)

    assert response.status_code == 409, response.text
    assert response.json()["code"] == "documents_not_freezable"
    assert response.json()["details"] == {"document_ids": [bad]}
    assert await snapshot() == before
    assert await pool.fetchval("SELECT count(*) FROM freezes") == 0
    assert await pool.fetchval("SELECT count(*) FROM documents WHERE frozen_at IS NOT NULL") == 0
    assert (await client.delete(f"/documents/{good[0]}", headers=owner[1])).status_code == 204  # still free


async def test_the_same_freeze_again_answers_the_first_and_tells_once(
    client: httpx.AsyncClient,
    service: Headers,
    owner: tuple[str, Headers],
    stored: Callable[[int], Awaitable[list[str]]],
    pool: asyncpg.Pool[Any],
) -> None:
    ids = await stored(2)
    request = freeze_of(owner[0], ids)
    first = await client.post("/freezes", json=request, headers=service)

    again = await client.post("/freezes", json=request, headers=service)
    reordered = await client.post("/freezes", json={**request, "document_ids": ids[::-1]}, headers=service)

    assert (first.status_code, again.status_code, reordered.status_code) == (201, 200, 200)
    assert again.json() == first.json() == reordered.json()
    assert len(await frozen_events(pool)) == 1
    other = await client.post("/freezes", json={**request, "document_ids": ids[:1]}, headers=service)
    assert other.status_code == 409 and other.json()["code"] == "freeze_mismatch"
    elsewhere = await client.post("/freezes", json={**request, "jurisdiction": "110000"}, headers=service)
    assert elsewhere.status_code == 409 and elsewhere.json()["code"] == "freeze_mismatch"
    for_another = await client.post("/freezes", json={**request, "unit_id": str(uuid.uuid4())}, headers=service)
    assert for_another.status_code == 409 and for_another.json()["code"] == "freeze_mismatch"
    revision = await client.post("/freezes", json={**request, "revision": 2}, headers=service)
    assert revision.status_code == 201  # a returned application is resubmitted as a new revision
    assert len(await frozen_events(pool)) == 2


async def test_concurrent_identical_freezes_make_one(
    client: httpx.AsyncClient,
    service: Headers,
    owner: tuple[str, Headers],
    stored: Callable[[int], Awaitable[list[str]]],
    pool: asyncpg.Pool[Any],
) -> None:
    request = freeze_of(owner[0], await stored(3))

    answers = await asyncio.gather(*(client.post("/freezes", json=request, headers=service) for _ in range(5)))

    assert sorted(answer.status_code for answer in answers) == [200, 200, 200, 200, 201]
    assert len({answer.text for answer in answers}) == 1
    assert len(await frozen_events(pool)) == 1


async def test_a_freeze_and_a_delete_racing_never_leave_a_deleted_document_frozen(
    client: httpx.AsyncClient,
    service: Headers,
    owner: tuple[str, Headers],
    stored: Callable[[int], Awaitable[list[str]]],
    pool: asyncpg.Pool[Any],
) -> None:
    for _ in range(5):
        [document_id] = await stored(1)
        freeze, delete = await asyncio.gather(
            client.post("/freezes", json=freeze_of(owner[0], [document_id]), headers=service),
            client.delete(f"/documents/{document_id}", headers=owner[1]),
        )
        assert (freeze.status_code, delete.status_code) in {(201, 409), (409, 204)}
    assert (
        await pool.fetchval("SELECT count(*) FROM documents WHERE frozen_at IS NOT NULL AND deleted_at IS NOT NULL")
        == 0
    )


@pytest.mark.parametrize(
    ("jurisdiction", "reads"),
    [("350000", True), ("000000", True), ("350100", False), ("110000", False)],
    ids=["the-province", "the-ministry", "a-city-inside", "another-province"],
)
async def test_a_freeze_lets_the_authorities_covering_it_read(
    client: httpx.AsyncClient,
    service: Headers,
    authority: Callable[..., Headers],
    owner: tuple[str, Headers],
    stored: Callable[[int], Awaitable[list[str]]],
    jurisdiction: str,
    reads: bool,
) -> None:
    [frozen, unfrozen] = await stored(2)
    reader = authority(jurisdiction)
    before = await client.get(f"/documents/{frozen}", headers=reader)
    assert before.status_code == 404
    assert (await client.post("/freezes", json=freeze_of(owner[0], [frozen]), headers=service)).status_code == 201

    for path in ("", "/content", "/preview"):
        response = await client.get(f"/documents/{frozen}{path}", headers=reader)
        assert response.status_code == (200 if reads else 404), path
        assert (await client.get(f"/documents/{unfrozen}{path}", headers=reader)).status_code == 404


@pytest.mark.parametrize(
    "caller",
    [
        {"role": "unit", "unit_id": "u"},
        {"role": "authority", "jurisdiction": "000000"},
        {"role": "admin", "jurisdiction": "000000"},
        {"role": "system", "account_id": "gateway"},
    ],
    ids=["unit", "authority", "admin", "anonymous-visitor"],
)
async def test_only_a_service_freezes(
    client: httpx.AsyncClient,
    sign: Callable[..., Headers],
    owner: tuple[str, Headers],
    stored: Callable[[int], Awaitable[list[str]]],
    pool: asyncpg.Pool[Any],
    caller: dict[str, str],
) -> None:
    ids = await stored(1)

    response = await client.post(
        "/freezes", json=freeze_of(owner[0], ids), headers=sign(audience="documents", **caller)
    )

    assert response.status_code == 403
    assert response.json()["code"] == "service_only"
    assert await pool.fetchval("SELECT count(*) FROM freezes") == 0
