"""Roster rows written straight into staffing's tables (a roster of any shape in a few statements),
sealed with the test session's keys, each attached document known to the documents replica."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import asyncpg

from services.staffing.protection import Protector
from services.staffing.rules import mask_id_number
from tests.builders.staffing import an_id_number

if TYPE_CHECKING:
    Conn = asyncpg.Connection[Any]
else:
    Conn = asyncpg.Connection

SURVEYOR_DOCUMENTS = ("职称证书", "社保缴纳证明", "身份证")
RELATED_DOCUMENTS = ("学历证书", "社保缴纳证明", "身份证")
EVERYONE_DOCUMENTS = ("社保缴纳证明", "身份证")
INSTRUMENT_DOCUMENTS = ("检定证书", "购置发票")
PROJECT_DOCUMENTS = ("项目合同", "验收证明")


async def attach(conn: Conn, owner_id: uuid.UUID, unit_id: str, purposes: Sequence[str]) -> list[str]:
    """A document per purpose, known to staffing as the unit's, attached to the owner; their ids."""
    ids = [uuid.uuid4() for _ in purposes]
    await conn.executemany(
        "INSERT INTO known_documents (document_id, unit_id, purpose) VALUES ($1, $2, $3)",
        [(document_id, unit_id, purpose) for document_id, purpose in zip(ids, purposes, strict=True)],
    )
    await conn.executemany(
        "INSERT INTO attachments (owner_id, purpose, document_id) VALUES ($1, $2, $3)",
        [(owner_id, purpose, document_id) for document_id, purpose in zip(ids, purposes, strict=True)],
    )
    return [str(document_id) for document_id in ids]


async def insert_person(
    conn: Conn,
    protector: Protector,
    unit_id: str,
    *,
    number: str | None = None,
    name: str = "张三",
    category: str = "测绘专业技术人员",
    title_level: str | None = "高级",
    documents: Sequence[str] = SURVEYOR_DOCUMENTS,
) -> tuple[uuid.UUID, str]:
    """A 居民身份证 holder on the unit's roster (complete with the default documents): (id, number)."""
    person_id, number = uuid.uuid4(), number or an_id_number()
    await conn.execute(
        """INSERT INTO persons (id, unit_id, name, id_type, id_number_enc, id_number_hash, id_number_masked,
                                category, title_level)
           VALUES ($1, $2, $3, '居民身份证', $4, $5, $6, $7, $8)""",
        person_id,
        unit_id,
        name,
        protector.seal_text(number),
        protector.identity("居民身份证", number),
        mask_id_number(number),
        category,
        title_level,
    )
    await attach(conn, person_id, unit_id, documents)
    return person_id, number


async def insert_instrument(
    conn: Conn,
    unit_id: str,
    *,
    kind: str = "全站仪",
    serial: str | None = None,
    valid_until: dt.date | None = None,
    documents: Sequence[str] = INSTRUMENT_DOCUMENTS,
) -> uuid.UUID:
    """An instrument calibrated for a year ahead unless ``valid_until`` says otherwise."""
    instrument_id = uuid.uuid4()
    await conn.execute(
        """INSERT INTO equipment (id, unit_id, type, brand, model, serial, purchased_on, calibration_valid_until)
           VALUES ($1, $2, $3, '徕卡', 'TS16', $4, $5, $6)""",
        instrument_id,
        unit_id,
        kind,
        serial or f"SN-{uuid.uuid4().hex[:12].upper()}",
        dt.date.today() - dt.timedelta(days=400),
        valid_until or dt.date.today() + dt.timedelta(days=365),
    )
    await attach(conn, instrument_id, unit_id, documents)
    return instrument_id


async def insert_project(
    conn: Conn,
    unit_id: str,
    *,
    category: str = "工程测量",
    amount_wan: str = "120.50",
    completed_on: dt.date | None = None,
    documents: Sequence[str] = PROJECT_DOCUMENTS,
) -> uuid.UUID:
    project_id = uuid.uuid4()
    completed = completed_on or dt.date.today() - dt.timedelta(days=30)
    await conn.execute(
        """INSERT INTO projects (id, unit_id, name, category, amount_wan, client, signed_on, completed_on)
           VALUES ($1, $2, '1:500地形图测绘', $3, $4, '某市自然资源和规划局', $5, $6)""",
        project_id,
        unit_id,
        category,
        Decimal(amount_wan),
        completed - dt.timedelta(days=200),
        completed,
    )
    await attach(conn, project_id, unit_id, documents)
    return project_id


async def insert_aerial_jia_roster(conn: Conn, protector: Protector, unit_id: str) -> None:
    """What 测绘航空摄影 甲级 asks but the 乙级满2年: 30 staff (2 高级, 4 中级, 6 初级, 18 相关),
    4 无人飞行测量采集系统, 650万元 of 业绩 in the last 2 years with one project of at least 50万元."""
    for title, count in (("高级", 2), ("中级", 4), ("初级", 6)):
        for _ in range(count):
            await insert_person(conn, protector, unit_id, title_level=title)
    for _ in range(18):
        await insert_person(conn, protector, unit_id, category="相关专业技术人员", documents=RELATED_DOCUMENTS)
    for _ in range(4):
        await insert_instrument(conn, unit_id, kind="无人飞行测量采集系统")
    for amount in ("400", "250"):
        await insert_project(conn, unit_id, category="测绘航空摄影", amount_wan=amount)
