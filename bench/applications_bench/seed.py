"""The 100,000 applications the applications benchmark measures against, COPY'd straight into the
applications service's database (``applications``, ``application_pages``, ``review_records`` and
the ``units`` and ``certificates`` replicas), then VACUUM (ANALYZE)d.

50,000 generated units across the 31 provinces, two pieces of work each: the approved 新单位注册
and a later work of any type in any state (about a third of them awaiting an authority: 已提交
with its 受理 deadline ahead, 已受理 with its decision deadline, some of those overdue). Each work
has the pages of its type saved and the 审批记录 its state implies. The bench unit (registered
through the portal) gets its approved 新单位注册 with the particulars on record (verified) and
19 closed 资质申请 of earlier years; it holds no certificate, so it may file a 资质申请.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import asyncpg

from services.applications.model.provinces import PROVINCES

from .works import APPLICATION_COLUMNS, LEVELS, PAGE_COLUMNS, RECORD_COLUMNS, Filed, Unit, at, rows_of

__all__ = ["APPLICATIONS", "BENCH_HISTORY", "BENCH_PROVINCE", "UNITS", "load_applications"]

UNITS = 50_000
APPLICATIONS = 2 * UNITS
BENCH_PROVINCE = "350000"
"""The bench unit's province (its credit code 91350100…): the authority's jurisdiction."""
BENCH_HISTORY = 19
_PROVINCE_CODES = tuple(PROVINCES)
_UNITS_NS = uuid.UUID("0c7f6a51-3a5e-4d0e-9f41-6a1f3c0de210")
_LATER_TYPES = (
    *("资质申请",) * 10,
    *("补充和修改数据",) * 3,
    *("专业范围变更",) * 2,
    *("基本信息变更",) * 2,
    *("复审换证",) * 2,
    "补领证书",
)
_LATER_STATES = (
    *("draft",) * 10,
    *("submitted",) * 13,
    *("returned",) * 3,
    *("accepted",) * 17,
    *("approved",) * 45,
    *("refused",) * 6,
    *("withdrawn",) * 6,
)
_CERTIFICATES = ("甲级资质证书", "乙级资质证书", "乙级资质证书", "乙级资质证书")
UNIT_COLUMNS = ("unit_id", "unit_name", "credit_code", "verified", "registered_address", "legal_representative")
CERTIFICATE_COLUMNS = (
    *("number", "certificate_id", "unit_id", "credit_code", "certificate_type", "level", "categories"),
    "valid_until",
)


@dataclass(slots=True)
class Seed:
    """Rows for the tables, in each table's column order."""

    applications: list[tuple[Any, ...]] = field(default_factory=list)
    pages: list[tuple[Any, ...]] = field(default_factory=list)
    records: list[tuple[Any, ...]] = field(default_factory=list)
    units: list[tuple[Any, ...]] = field(default_factory=list)
    certificates: list[tuple[Any, ...]] = field(default_factory=list)


def _generated_units() -> Iterator[Unit]:
    for number in range(UNITS):
        province = _PROVINCE_CODES[number % len(_PROVINCE_CODES)]
        unit_id = str(uuid.uuid5(_UNITS_NS, str(number)))
        credit_code = f"91{province[:2]}0100MA{number:08d}"
        yield Unit(unit_id, f"基准测绘单位{number:05d}", credit_code, province, number)


def _later(number: int, today: dt.date) -> Filed:
    """The unit's later work: type, state and dates spread as a live system has them."""
    kind = _LATER_TYPES[number * 7 % len(_LATER_TYPES)]
    state = _LATER_STATES[number * 13 % len(_LATER_STATES)]
    certificate = _CERTIFICATES[number % len(_CERTIFICATES)]
    created = at(today - dt.timedelta(days=5 + number * 31 % 700), number)
    if state == "draft":
        return Filed(kind, certificate, state, created, None)
    if state == "submitted":  # 受理 deadline ahead: the 视为受理 job has nothing to do
        submitted = today - dt.timedelta(days=number % 4)
        return Filed(kind, certificate, state, min(created, at(submitted, 0)), submitted, holder=_holder(number))
    submitted = created.date() + dt.timedelta(days=3 + number % 10)
    if state in ("returned", "withdrawn"):
        return Filed(kind, certificate, state, created, submitted)
    if state == "accepted":
        accepted = today - dt.timedelta(days=number % 30)
        submitted = min(submitted, accepted)
        return Filed(kind, certificate, state, min(created, at(submitted, 0)), submitted, accepted,
                     holder=_holder(number), extended=number % 11 == 0)  # fmt: skip
    accepted = submitted + dt.timedelta(days=2 + number % 5)
    return Filed(kind, certificate, state, created, submitted, accepted, accepted + dt.timedelta(days=10 + number % 9))


def _holder(number: int) -> str | None:
    return f"authority-{number % 7}" if number % 3 == 0 else None


def _add(seed: Seed, unit: Unit, filed: Filed) -> None:
    application, pages, records = rows_of(unit, filed, str(uuid.uuid4()))
    seed.applications.append(application)
    seed.pages += pages
    seed.records += records


def _registration(unit: Unit, today: dt.date) -> Filed:
    created = at(today - dt.timedelta(days=720 + unit.number % 300), unit.number)
    submitted = created.date() + dt.timedelta(days=1)
    accepted = submitted + dt.timedelta(days=3)
    return Filed(
        "新单位注册", "乙级资质证书", "approved", created, submitted, accepted, accepted + dt.timedelta(days=8)
    )


def _certificate(seed: Seed, unit: Unit, filed: Filed) -> None:
    """An approved 资质申请 or 复审换证 left its certificate in the registry's replica."""
    if filed.state != "approved" or filed.application_type not in ("资质申请", "复审换证"):
        return
    assert filed.decided is not None
    level = filed.certificate_type[:2]
    number = f"{level[0]}测资字{unit.province[:2]}{unit.number:08d}"
    seed.certificates.append((number, str(uuid.uuid4()), unit.unit_id, unit.credit_code, filed.certificate_type,
                              level, LEVELS, filed.decided + dt.timedelta(days=5 * 365)))  # fmt: skip


def generated(today: dt.date) -> Seed:
    """The 50,000 generated units, each with its approved 新单位注册 and a later work."""
    seed = Seed()
    for unit in _generated_units():
        seed.units.append((unit.unit_id, unit.unit_name, unit.credit_code, True, unit.address_text(), "王伟"))
        _add(seed, unit, _registration(unit, today))
        later = _later(unit.number, today)
        _add(seed, unit, later)
        _certificate(seed, unit, later)
    return seed


def bench_history(unit: Unit, today: dt.date) -> Seed:
    """The bench unit's approved 新单位注册 and its closed 资质申请 of earlier years."""
    seed = Seed()
    _add(seed, unit, _registration(unit, today))
    for n in range(BENCH_HISTORY):
        created = at(today - dt.timedelta(days=30 + 30 * n), n)
        submitted = created.date() + dt.timedelta(days=2)
        state = "withdrawn" if n % 2 else "refused"
        accepted = submitted + dt.timedelta(days=3) if state == "refused" else None
        decided = accepted + dt.timedelta(days=12) if accepted else None
        _add(seed, unit, Filed("资质申请", "乙级资质证书", state, created, submitted, accepted, decided))
    return seed


async def _copy(conn: asyncpg.Connection[Any], seed: Seed) -> None:
    async with conn.transaction():
        await conn.copy_records_to_table("units", records=seed.units, columns=UNIT_COLUMNS)
        await conn.copy_records_to_table("applications", records=seed.applications, columns=APPLICATION_COLUMNS)
        await conn.copy_records_to_table("application_pages", records=seed.pages, columns=PAGE_COLUMNS)
        await conn.copy_records_to_table("review_records", records=seed.records, columns=RECORD_COLUMNS)
        await conn.copy_records_to_table("certificates", records=seed.certificates, columns=CERTIFICATE_COLUMNS)


_VERIFY = """
UPDATE units SET verified = true, registered_address = $2, legal_representative = '王伟', updated_at = now()
WHERE unit_id = $1"""


async def _load(dsn: str, bench: Unit, today: dt.date) -> int:
    conn = await asyncpg.connect(dsn)
    try:
        seed = generated(today)
        history = bench_history(bench, today)
        await _copy(conn, seed)
        await _copy(conn, history)
        await conn.execute(_VERIFY, bench.unit_id, bench.address_text())  # as its approval recorded it
        await conn.execute("VACUUM (ANALYZE) units, applications, application_pages, review_records, certificates")
        return len(seed.applications) + len(history.applications)
    finally:
        await conn.close()


def load_applications(dsn: str, *, unit_id: str, unit_name: str, credit_code: str) -> int:
    """Load the seed into the applications database at ``dsn``; the works written."""
    bench = Unit(unit_id, unit_name, credit_code, BENCH_PROVINCE, UNITS)
    return asyncio.run(_load(dsn, bench, dt.date.today()))
