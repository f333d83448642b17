"""The bench unit's roster in staffing, COPY'd straight into staffing's database: 500 persons, every
one complete (its documents attached), 100 instruments and software with their 检定证书 and
购置发票, 30 projects — what a 资质申请 乙级 of a large unit submits.

Built from the staffing benchmark's own seed (valid, sealed 居民身份证 numbers; the rows the
service itself writes): its bench roster, with the 身份证 scan the staffing benchmark leaves out of
every 25th person attached, and 60 more instruments.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import Any

import asyncpg

from ..staffing_bench.seed import (
    ATTACHMENT_COLUMNS,
    BENCH_PERSONS,
    EQUIPMENT_COLUMNS,
    KNOWN_COLUMNS,
    PERSON_COLUMNS,
    PROJECT_COLUMNS,
    Keys,
    Roster,
    bench_unit_roster,
    new_id,
)

__all__ = ["INSTRUMENTS", "PERSONS", "load_bench_roster"]

PERSONS = BENCH_PERSONS
INSTRUMENTS = 100
_ID_SCAN = "身份证"
_KINDS = ("全站仪", "GNSS接收机", "水准仪", "三维激光扫描仪")


def complete_roster(unit_id: str, keys: Keys, today: dt.date) -> Roster:
    """The staffing benchmark's roster of the unit, every person complete, 100 instruments."""
    roster = bench_unit_roster(unit_id, keys)
    scanned = {owner for owner, purpose, _ in roster.attachments if purpose == _ID_SCAN}
    for person in roster.persons:
        if person[0] not in scanned:
            roster.attach(person[0], unit_id, [_ID_SCAN])
    for n in range(len(roster.equipment), INSTRUMENTS):
        kind = _KINDS[n % len(_KINDS)]
        item = (new_id(), unit_id, kind, "南方测绘", "NTS-362", f"APPL-{n:05d}", today - dt.timedelta(days=300),
                today + dt.timedelta(days=250))  # fmt: skip
        roster.equipment.append(item)
        roster.attach(item[0], unit_id, ["检定证书", "购置发票"])
    return roster


async def _copy(dsn: str, roster: Roster) -> None:
    conn: asyncpg.Connection[Any] = await asyncpg.connect(dsn)
    try:
        async with conn.transaction():
            await conn.copy_records_to_table("persons", records=roster.persons, columns=PERSON_COLUMNS)
            await conn.copy_records_to_table("known_documents", records=roster.known_documents, columns=KNOWN_COLUMNS)
            await conn.copy_records_to_table("attachments", records=roster.attachments, columns=ATTACHMENT_COLUMNS)
            await conn.copy_records_to_table("equipment", records=roster.equipment, columns=EQUIPMENT_COLUMNS)
            await conn.copy_records_to_table("projects", records=roster.projects, columns=PROJECT_COLUMNS)
        await conn.execute("VACUUM (ANALYZE) persons, known_documents, attachments, equipment, projects")
    finally:
        await conn.close()


def load_bench_roster(dsn: str, keys: Keys, unit_id: str) -> int:
    """COPY the unit's complete roster into staffing's database at ``dsn``; the persons written."""
    roster = complete_roster(unit_id, keys, dt.date.today())
    asyncio.run(_copy(dsn, roster))
    return len(roster.persons)
