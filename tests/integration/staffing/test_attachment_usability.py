"""Each attachment carries its own ``usable``: written from the documents replica when attached,
turned false by the DocumentDeleted consumer, and read by the lists and by 满足情况 without the
replica. A deletion racing an attachment never leaves a usable attachment behind, and the fast
reads answer exactly what the single reads and the snapshot answer."""

from __future__ import annotations

import asyncio
import datetime as dt
import random
import uuid
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

import asyncpg
import httpx
import pytest

from services.staffing.clock import today
from services.staffing.model.roster import facts
from services.staffing.model.snapshot import freeze
from services.staffing.protection import Protector
from services.staffing.repository.attachments import Attachments, KnownDocuments
from services.staffing.repository.roster import RosterReads
from tests.builders.staffing import a_person
from tests.fixtures.waiting import eventually

from .conftest import Headers, Roster
from .roster_rows import EVERYONE_DOCUMENTS, insert_instrument, insert_person, insert_project

if TYPE_CHECKING:
    Conn = asyncpg.Connection[Any]
else:
    Conn = asyncpg.Connection

UnitHeaders = Callable[..., Headers]
UNIT = "u-usable"
PURPOSE = "身份证"


async def usable(conn: Conn, owner_id: uuid.UUID, document_id: uuid.UUID) -> bool | None:
    return await conn.fetchval(
        "SELECT usable FROM attachments WHERE owner_id = $1 AND document_id = $2", owner_id, document_id
    )


async def known(conn: Conn) -> uuid.UUID:
    """A document staffing knows as the unit's, not deleted."""
    document_id = uuid.uuid4()
    await KnownDocuments(conn).remember(document_id, UNIT, PURPOSE)
    return document_id


async def waiting_on_a_lock(watcher: Conn, other: Conn) -> None:
    """Until ``other``'s statement waits for a row lock."""
    pid = other.get_server_pid()

    async def blocked() -> bool:
        kind = await watcher.fetchval("SELECT wait_event_type FROM pg_stat_activity WHERE pid = $1", pid)
        return bool(kind == "Lock")

    await eventually(blocked, within=10)


async def in_transaction(conn: Conn, work: Callable[[], Awaitable[object]]) -> None:
    async with conn.transaction():
        await work()


@pytest.mark.parametrize("how", ["replace", "add"])
async def test_a_deletion_arriving_while_a_document_is_attached_waits_and_then_finds_the_attachment(
    roster: Roster, how: str
) -> None:
    attacher, consumer, watcher = await roster.db(), await roster.db(), await roster.db()
    try:
        owner_id, document_id = uuid.uuid4(), await known(watcher)
        attaching = attacher.transaction()
        await attaching.start()
        attached = await getattr(Attachments(attacher), how)(owner_id, [(PURPOSE, document_id)])
        assert [a.usable for a in attached] == [True]
        deleting = asyncio.create_task(
            in_transaction(consumer, lambda: KnownDocuments(consumer).forget(document_id, UNIT, PURPOSE))
        )
        await waiting_on_a_lock(watcher, consumer)  # the deletion waits for the attachment's commit
        await attaching.commit()
        await deleting
        assert await usable(watcher, owner_id, document_id) is False
    finally:
        for conn in (attacher, consumer, watcher):
            await conn.close()


@pytest.mark.parametrize("how", ["replace", "add"])
async def test_an_attachment_arriving_while_its_document_is_deleted_waits_and_then_reads_the_deletion(
    roster: Roster, how: str
) -> None:
    attacher, consumer, watcher = await roster.db(), await roster.db(), await roster.db()
    try:
        owner_id, document_id = uuid.uuid4(), await known(watcher)
        deleting = consumer.transaction()
        await deleting.start()
        await KnownDocuments(consumer).forget(document_id, UNIT, PURPOSE)
        attaching = asyncio.create_task(
            in_transaction(attacher, lambda: getattr(Attachments(attacher), how)(owner_id, [(PURPOSE, document_id)]))
        )
        await waiting_on_a_lock(watcher, attacher)  # the attachment waits for the deletion's commit
        await deleting.commit()
        await attaching
        assert await usable(watcher, owner_id, document_id) is False
    finally:
        for conn in (attacher, consumer, watcher):
            await conn.close()


async def race(
    attacher: Conn, consumer: Conn, owner_id: uuid.UUID, documents: list[tuple[str, uuid.UUID]], pause: float
) -> None:
    """Attach ``documents`` (the last one being deleted) and delete that one at once, one of
    them ``pause`` seconds behind the other."""
    deleted = documents[-1][1]

    async def attach() -> None:
        await asyncio.sleep(max(pause, 0))
        await in_transaction(attacher, lambda: Attachments(attacher).replace(owner_id, documents))

    async def delete() -> None:
        await asyncio.sleep(max(-pause, 0))
        await in_transaction(consumer, lambda: KnownDocuments(consumer).forget(deleted, UNIT, PURPOSE))

    await asyncio.gather(attach(), delete())


async def test_racing_attachments_and_deletions_never_leave_a_usable_attachment(roster: Roster) -> None:
    attacher, consumer, watcher = await roster.db(), await roster.db(), await roster.db()
    pauses = random.Random(9)
    try:
        for _ in range(40):
            owner_id, kept, document_id = uuid.uuid4(), await known(watcher), await known(watcher)
            await Attachments(watcher).replace(owner_id, [(PURPOSE, kept)])  # an edit: it had a document
            await race(
                attacher, consumer, owner_id, [(PURPOSE, kept), (PURPOSE, document_id)], pauses.uniform(-2, 2) / 1000
            )
            assert await usable(watcher, owner_id, document_id) is False
            assert await usable(watcher, owner_id, kept) is True
    finally:
        for conn in (attacher, consumer, watcher):
            await conn.close()


async def test_an_attachment_made_before_its_document_was_known_counts_once_it_is(roster: Roster) -> None:
    conn = await roster.db()
    try:
        owner_id, unknown, deleted = uuid.uuid4(), uuid.uuid4(), await known(conn)
        await KnownDocuments(conn).forget(deleted, UNIT, PURPOSE)
        attached = await Attachments(conn).replace(owner_id, [(PURPOSE, unknown), ("社保缴纳证明", deleted)])
        assert {a.document_id: a.usable for a in attached} == {str(unknown): False, str(deleted): False}
        await KnownDocuments(conn).remember(unknown, UNIT, PURPOSE)
        await KnownDocuments(conn).remember(deleted, UNIT, "社保缴纳证明")  # a deletion already known stays
        found = (await Attachments(conn).of([owner_id]))[owner_id]
        assert {a.document_id: a.usable for a in found} == {str(unknown): True, str(deleted): False}
    finally:
        await conn.close()


async def test_the_deleted_document_consumer_turns_its_attachments_unusable(
    roster: Roster, unit_headers: UnitHeaders
) -> None:
    headers = unit_headers("u-consumed")
    documents = {p: await roster.upload(headers, p) for p in ("职称证书", "社保缴纳证明", "身份证")}
    attached = [{"purpose": p, "document_id": d} for p, d in documents.items()]
    added = await roster.client.post("/persons", json=a_person(documents=attached), headers=headers)
    assert added.status_code == 201, added.text
    person_id = uuid.UUID(added.json()["id"])
    listed = (await roster.client.get("/persons", headers=headers)).json()
    assert (listed["counted"], listed["items"][0]["complete"]) == (1, True)

    async with httpx.AsyncClient(base_url=roster.documents_url) as client:
        assert (await client.delete(f"/documents/{documents['身份证']}", headers=headers)).status_code == 204
    conn = await roster.db()
    try:

        async def flipped() -> bool:
            return await usable(conn, person_id, uuid.UUID(documents["身份证"])) is False

        await eventually(flipped)
        rows = await conn.fetch("SELECT purpose, usable FROM attachments WHERE owner_id = $1", person_id)
        assert {row["purpose"]: row["usable"] for row in rows} == {
            "职称证书": True,
            "社保缴纳证明": True,
            "身份证": False,
        }
    finally:
        await conn.close()
    listed = (await roster.client.get("/persons", headers=headers)).json()
    assert listed["counted"] == 0
    assert [(p["code"], p["message"]) for p in listed["items"][0]["problems"]] == [
        ("document_deleted", "身份证已被删除，请重新上传")
    ]


async def a_mixed_roster(roster: Roster, protector: Protector) -> list[uuid.UUID]:
    """Persons, instruments and projects of every completeness, some documents deleted; the
    persons' ids."""
    conn = await roster.db()
    try:
        persons = [
            (await insert_person(conn, protector, UNIT, title_level=level))[0] for level in ("高级", "中级", "初级")
        ]
        persons.append((await insert_person(conn, protector, UNIT, documents=("职称证书", "身份证")))[0])
        persons.append((await insert_person(conn, protector, UNIT, category="相关专业技术人员", title_level=None))[0])
        persons.append(
            (await insert_person(conn, protector, UNIT, category="非专业技术人员", documents=EVERYONE_DOCUMENTS))[0]
        )
        for person_id, purpose in ((persons[0], "身份证"), (persons[4], "职称证书")):
            lost = await conn.fetchval(
                "SELECT document_id FROM attachments WHERE owner_id = $1 AND purpose = $2", person_id, purpose
            )
            await KnownDocuments(conn).forget(lost, UNIT, purpose)
        await insert_instrument(conn, UNIT)
        await insert_instrument(conn, UNIT, valid_until=dt.date.today() - dt.timedelta(days=1))
        await insert_instrument(conn, UNIT, kind="地理信息处理软件", documents=("购置发票",))
        await insert_project(conn, UNIT)
        await insert_project(conn, UNIT, documents=("项目合同",))
    finally:
        await conn.close()
    return persons


async def test_the_lists_answer_what_the_single_reads_answer(
    roster: Roster, protector: Protector, unit_headers: UnitHeaders
) -> None:
    await a_mixed_roster(roster, protector)
    headers = unit_headers(UNIT)
    for kind in ("persons", "equipment", "projects"):
        listed = (await roster.client.get(f"/{kind}", params={"page_size": 100}, headers=headers)).json()
        assert listed["total"] == len(listed["items"]) > 1
        for item in listed["items"]:
            single = (await roster.client.get(f"/{kind}/{item['id']}", headers=headers)).json()
            single.pop("id_number", None)
            item.pop("id_number", None)
            assert item == single
        assert listed["counted"] == sum(item["complete"] for item in listed["items"])
    persons = (await roster.client.get("/persons", headers=headers)).json()
    assert [p["complete"] for p in persons["items"]] == [False, True, True, False, False, True]


async def test_fulfilment_counts_what_a_snapshot_of_the_same_roster_counts(
    roster: Roster, protector: Protector
) -> None:
    persons = await a_mixed_roster(roster, protector)
    conn = await roster.db()
    try:
        reads = RosterReads(conn)
        counted = facts(await reads.roster(UNIT, on=today()), on=today())
        frozen = freeze(await reads.records(UNIT, on=today()), on=today(), reveal=protector.open_text)
    finally:
        await conn.close()
    assert counted == frozen.facts
    assert [(m.id, m.countable) for m in counted.staff] == [
        (str(persons[0]), False),  # its 身份证 was deleted
        (str(persons[1]), True),
        (str(persons[2]), True),
        (str(persons[3]), False),  # no 社保缴纳证明
        (str(persons[4]), False),  # its 职称证书 was deleted
    ]
