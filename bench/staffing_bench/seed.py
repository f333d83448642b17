"""The roster the staffing benchmark measures against, COPY'd straight into staffing's database.

1,000,000 persons across 30,000 units: 29,999 generated units share 999,500 persons (about 33 each,
interleaved in time as a live system adds them), each with the documents that make it complete;
the bench unit (registered through the portal) gets exactly 500 persons, most of them complete,
plus 40 instruments and 30 projects. Every 证件号码 is a valid 居民身份证 number, sealed, hashed
and masked by staffing's own Protector and rules, so the rows are what the service itself writes.
Numbers are unique by construction (birth date and sequence from the row index); those the
benchmark adds later take the province prefix 46, which the seed never uses.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import functools
import multiprocessing
import os
import uuid
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import asyncpg

from services.staffing.protection import Protector
from services.staffing.rules import PROVINCE_CODES, id_check_char, mask_id_number

__all__ = [
    "BENCH_PERSONS",
    "PERSONS",
    "UNITS",
    "Keys",
    "Roster",
    "added_number",
    "bench_unit_roster",
    "expected_counted",
    "id_number",
    "load_roster",
    "new_id",
    "person_purposes",
    "roster_chunk",
    "unit_id_of",
]

PERSONS = 1_000_000
UNITS = 30_000
BENCH_PERSONS = 500
OTHERS = PERSONS - BENCH_PERSONS
"""Persons of the generated units; rows OTHERS … PERSONS-1 are the bench unit's."""
CHUNK = 50_000
INCOMPLETE_EVERY = 25
"""Every 25th of the bench unit's persons lacks its 身份证 scan: shown with a reason, not counted."""
ADDED_PROVINCE = 46
"""Province prefix of the numbers the benchmark adds (海南): never seeded."""
_PROVINCES = tuple(sorted(code for code in PROVINCE_CODES if code != ADDED_PROVINCE))
_BORN_FROM, _BIRTH_DAYS = dt.date(1958, 1, 1), 12_000  # 1958 … 1990: everyone is of age
_UNITS_NS = uuid.UUID("5b0c7f0e-2f4e-4a57-9a3c-7f1d1b2c3d4e")
_STARTED = dt.datetime(2023, 1, 1, tzinfo=dt.UTC)
_TITLES = ("高级", "中级", "中级", "初级", "初级")
_EDUCATION = ("博士研究生", "硕士研究生", "大学本科", "大学本科", "大学专科")
_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
_GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂"
_INSTRUMENTS = ("全站仪", "GNSS接收机", "水准仪", "三维激光扫描仪", "地理信息处理软件", "地理信息系统平台软件")
_PROJECT_CATEGORIES = ("工程测量", "地理信息系统工程", "界线与不动产测绘")

PERSON_COLUMNS = (
    *("id", "unit_id", "name", "id_type", "id_number_enc", "id_number_hash", "id_number_masked", "category"),
    *("gender", "birth_date", "title_level", "title_name", "major", "education", "school", "retired"),
    *("hired_on", "substitute_reason", "source", "created_at", "updated_at"),
)
KNOWN_COLUMNS = ("document_id", "unit_id", "purpose")
ATTACHMENT_COLUMNS = ("owner_id", "purpose", "document_id")
EQUIPMENT_COLUMNS = ("id", "unit_id", "type", "brand", "model", "serial", "purchased_on", "calibration_valid_until")
PROJECT_COLUMNS = ("id", "unit_id", "name", "category", "amount_wan", "client", "signed_on", "completed_on")


@dataclass(frozen=True, slots=True)
class Keys:
    """STAFFING_DATA_KEY and STAFFING_HASH_KEY (strings, so they cross into worker processes)."""

    data_key: str
    hash_key: str

    def protector(self) -> Protector:
        return Protector(self.data_key, self.hash_key)


@dataclass(slots=True)
class Roster:
    """Rows for the tables of staffing, in each table's column order."""

    persons: list[tuple[Any, ...]] = field(default_factory=list)
    known_documents: list[tuple[Any, ...]] = field(default_factory=list)
    attachments: list[tuple[Any, ...]] = field(default_factory=list)
    equipment: list[tuple[Any, ...]] = field(default_factory=list)
    projects: list[tuple[Any, ...]] = field(default_factory=list)

    def attach(self, owner_id: str, unit_id: str, purposes: Sequence[str]) -> None:
        for purpose in purposes:
            document_id = new_id()
            self.known_documents.append((document_id, unit_id, purpose))
            self.attachments.append((owner_id, purpose, document_id))


def new_id() -> str:
    """A random 128-bit id in the hexadecimal form PostgreSQL reads as a uuid (as random as uuid4,
    so the indexes grow as the services' own ids make them, at a fraction of uuid4's cost)."""
    return os.urandom(16).hex()


@functools.cache
def _unit_ids() -> tuple[str, ...]:
    return tuple(str(uuid.uuid5(_UNITS_NS, str(number))) for number in range(UNITS - 1))


def unit_id_of(number: int) -> str:
    """The id of generated unit ``number`` (0 … UNITS-2), the same in every process."""
    return _unit_ids()[number]


def id_number(index: int) -> str:
    """The valid 居民身份证 number of seeded person ``index``: unique for index < 12,000,000."""
    province = _PROVINCES[index % len(_PROVINCES)]
    born = _BORN_FROM + dt.timedelta(days=(index // 1000) % _BIRTH_DAYS)
    first17 = f"{province}{index * 7919 % 10_000:04d}{born:%Y%m%d}{index % 1000:03d}"
    return first17 + id_check_char(first17)


def added_number(index: int) -> str:
    """A valid number for the benchmark's n-th 添加人员, never on the seeded roster."""
    born = _BORN_FROM + dt.timedelta(days=(index // 1000) % _BIRTH_DAYS)
    first17 = f"{ADDED_PROVINCE}0105{born:%Y%m%d}{index % 1000:03d}"
    return first17 + id_check_char(first17)


def _profile(index: int) -> tuple[str, str | None, bool]:
    """(人员类别, 职称等级, 退休) of person ``index``: 60% 测绘专业, 30% 相关专业, 10% 非专业; 5% retired."""
    share = index * 37 % 100
    retired = index * 53 % 100 < 5
    if share < 60:
        return "测绘专业技术人员", _TITLES[index % len(_TITLES)], retired
    if share < 90:
        return "相关专业技术人员", _TITLES[index % len(_TITLES)] if index % 2 else None, retired
    return "非专业技术人员", None, retired


def person_purposes(index: int, category: str, retired: bool) -> list[str]:
    """The documents that make person ``index`` complete (manual 5.5.3)."""
    purposes = ["社保缴纳证明", "身份证"]
    if category == "测绘专业技术人员":
        purposes.append("职称证书")
    elif category == "相关专业技术人员":
        purposes.append("职称证书" if index % 2 else "学历证书")
    if retired:
        purposes += ["退休材料", "劳务合同"]
    return purposes


def _person(index: int, unit_id: str, protector: Protector) -> tuple[Any, ...]:
    number = id_number(index)
    category, title, retired = _profile(index)
    born = dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    created = _STARTED + dt.timedelta(seconds=index * 90)
    return (
        *(new_id(), unit_id, _SURNAMES[index % 20] + _GIVEN[index // 20 % 20] + _GIVEN[index // 400 % 20]),
        *("居民身份证", protector.seal_text(number), protector.identity("居民身份证", number), mask_id_number(number)),
        *(category, "男" if int(number[16]) % 2 else "女", born, title, f"{title}工程师" if title else None),
        *("测绘工程", _EDUCATION[index % len(_EDUCATION)], "武汉大学", retired),
        *(dt.date(born.year + 23, 7, 1), None, "填报", created, created),
    )


def _add_person(roster: Roster, index: int, unit_id: str, protector: Protector, *, complete: bool) -> None:
    row = _person(index, unit_id, protector)
    roster.persons.append(row)
    category, _, retired = _profile(index)
    purposes = person_purposes(index, category, retired)
    roster.attach(row[0], unit_id, purposes if complete else [p for p in purposes if p != "身份证"])


def roster_chunk(start: int, stop: int, keys: Keys) -> Roster:
    """Persons ``start`` … ``stop``-1 of the generated units, complete, with their documents."""
    protector, roster = keys.protector(), Roster()
    for index in range(start, min(stop, OTHERS)):
        _add_person(roster, index, unit_id_of(index % (UNITS - 1)), protector, complete=True)
    return roster


def bench_unit_roster(unit_id: str, keys: Keys) -> Roster:
    """The bench unit's 500 persons (every INCOMPLETE_EVERY-th lacks its 身份证), 40 instruments and
    30 projects, all with their documents."""
    protector, roster = keys.protector(), Roster()
    for offset in range(BENCH_PERSONS):
        _add_person(roster, OTHERS + offset, unit_id, protector, complete=offset % INCOMPLETE_EVERY != 0)
    _add_instruments(roster, unit_id, dt.date.today())
    _add_projects(roster, unit_id, dt.date.today())
    return roster


def _add_instruments(roster: Roster, unit_id: str, today: dt.date) -> None:
    """40 instruments and software, calibrated for 200 days more (software needs no 检定)."""
    for n in range(40):
        kind = _INSTRUMENTS[n % len(_INSTRUMENTS)]
        valid = None if kind.endswith("软件") else today + dt.timedelta(days=200)
        item = (new_id(), unit_id, kind, "徕卡", "TS16", f"BENCH-{n:05d}", today - dt.timedelta(days=400), valid)
        roster.equipment.append(item)
        roster.attach(item[0], unit_id, ["购置发票"] if valid is None else ["检定证书", "购置发票"])


def _add_projects(roster: Roster, unit_id: str, today: dt.date) -> None:
    """30 projects of the three benchmarked categories, completed within the last two and a half years."""
    for n in range(30):
        signed = today - dt.timedelta(days=60 + 30 * n)
        category = _PROJECT_CATEGORIES[n % 3]
        project = (new_id(), unit_id, f"某市测绘项目{n}", category, Decimal(50 + 10 * n), "某市自然资源和规划局")
        roster.projects.append((*project, signed, signed + dt.timedelta(days=45)))
        roster.attach(project[0], unit_id, ["项目合同", "验收证明"])


def expected_counted() -> int:
    """How many of the bench unit's persons are complete."""
    return BENCH_PERSONS - len(range(0, BENCH_PERSONS, INCOMPLETE_EVERY))


async def _copy(conn: asyncpg.Connection[Any], roster: Roster) -> None:
    async with conn.transaction():
        await conn.copy_records_to_table("persons", records=roster.persons, columns=PERSON_COLUMNS)
        await conn.copy_records_to_table("known_documents", records=roster.known_documents, columns=KNOWN_COLUMNS)
        await conn.copy_records_to_table("attachments", records=roster.attachments, columns=ATTACHMENT_COLUMNS)
        await conn.copy_records_to_table("equipment", records=roster.equipment, columns=EQUIPMENT_COLUMNS)
        await conn.copy_records_to_table("projects", records=roster.projects, columns=PROJECT_COLUMNS)


async def _copy_to(dsn: str, roster: Roster) -> None:
    conn = await asyncpg.connect(dsn)
    try:
        await _copy(conn, roster)
    finally:
        await conn.close()


def _seed_chunk(dsn: str, keys: Keys, start: int) -> int:
    """In a worker process: generate one chunk and COPY it; returns the persons written."""
    roster = roster_chunk(start, start + CHUNK, keys)
    asyncio.run(_copy_to(dsn, roster))
    return len(roster.persons)


def _units(province: str = "35") -> Iterator[tuple[str, str, str, str]]:
    for number in range(UNITS - 1):
        credit_code = f"91{province}0100M{number:08d}X"
        yield unit_id_of(number), f"基准测试单位{number:05d}", credit_code, f"{province}0000"


def load_roster(dsn: str, keys: Keys, bench_unit: str) -> int:
    """Load the whole roster into staffing's database at ``dsn`` and ANALYZE; returns the persons."""
    asyncio.run(_seed_units(dsn, bench_unit, keys))
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=os.cpu_count() or 2, mp_context=context) as pool:
        written = sum(pool.map(functools.partial(_seed_chunk, dsn, keys), range(0, OTHERS, CHUNK)))
    asyncio.run(_analyze(dsn))
    return written + BENCH_PERSONS


async def _seed_units(dsn: str, bench_unit: str, keys: Keys) -> None:
    conn = await asyncpg.connect(dsn)
    try:
        columns = ("unit_id", "unit_name", "credit_code", "jurisdiction")
        await conn.copy_records_to_table("units", records=list(_units()), columns=columns)
        await _copy(conn, bench_unit_roster(bench_unit, keys))
    finally:
        await conn.close()


async def _analyze(dsn: str) -> None:
    conn = await asyncpg.connect(dsn)
    try:
        await conn.execute("VACUUM (ANALYZE) units, persons, known_documents, attachments, equipment, projects")
    finally:
        await conn.close()
