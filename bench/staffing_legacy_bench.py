"""老人老办法 load benchmark: 1,000,000 rows of the old system's staff export loaded into staffing.

Writes a 1,000,000-row export (UTF-8 with BOM, as Excel saves it; every number valid; about
30,000 units by 统一社会信用代码) into a temporary directory, starts a real PostgreSQL (durable,
as in production), then runs ``python -m services.staffing legacy-load FILE`` as an administrator
would and times it end to end (process start, migrations, reading, checking, sealing, COPY, commit).

The ceiling of the same run: the same rows COPYed into a copy of the table as they come from the
CSV reader (no checking, no encryption, no hashing), from one process.
"""

from __future__ import annotations

import asyncio
import csv
import datetime as dt
import os
import random
import re
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import asyncpg
from asyncpg.pgproto import pgproto

from deploy.local.components import PostgresServer, free_port
from services.kernel.db import database_url_for
from services.staffing.legacy.copy_rows import COLUMNS
from services.staffing.protection import generate_key
from services.staffing.rules import PROVINCE_CODES, id_check_char

__all__ = ["run", "write_export"]

Row = tuple[str, float, str]
ROWS = 1_000_000
UNITS = 30_000
ROOT = Path(__file__).resolve().parents[1]
DATABASE = "qual_staffing_bench"
HEADER = "统一社会信用代码,姓名,证件类型,证件号码,人员类别,职称等级,职称名称,专业,学历,毕业院校,是否退休"
_CODE_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
_GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国文斌宇浩凯鹏辉玲婷雪琳晨阳"
_KINDS = (
    ("测绘专业技术人员", "高级", "高级工程师", "测绘工程"),
    ("测绘专业技术人员", "中级", "工程师", "地理信息科学"),
    ("测绘专业技术人员", "初级", "助理工程师", "遥感科学与技术"),
    ("相关专业技术人员", "中级", "工程师", "土木工程"),
    ("非专业技术人员", "", "", ""),
)
_SCHOOLS = ("武汉大学", "同济大学", "中国矿业大学", "河海大学", "长安大学", "山东科技大学")
_EDUCATIONS = ("大学本科", "硕士研究生", "大学专科", "博士研究生")


def _credit_codes(rng: random.Random, count: int) -> list[str]:
    provinces = sorted(code for code in PROVINCE_CODES if code < 70)
    return [f"91{rng.choice(provinces)}0100" + "".join(rng.choices(_CODE_CHARS, k=10)) for _ in range(count)]


def _id_number(index: int, rng: random.Random) -> str:
    """A valid 居民身份证 number, unique per ``index`` (its birth date and sequence come from it)."""
    born = dt.date(1960, 1, 1) + dt.timedelta(days=(index // 1000) * 13)
    first17 = f"{rng.choice((11, 32, 42, 44, 51))}{rng.randrange(1, 100):02d}{rng.randrange(1, 100):02d}"
    first17 += f"{born:%Y%m%d}{index % 1000:03d}"
    return first17 + id_check_char(first17)


def write_export(path: Path, rows: int = ROWS, units: int = UNITS, seed: int = 2026) -> None:
    """The old system's export: ``rows`` valid persons spread over ``units`` credit codes."""
    rng = random.Random(seed)
    codes = _credit_codes(rng, units)
    with path.open("w", encoding="utf-8-sig", newline="") as out:
        writer = csv.writer(out, lineterminator="\r\n")
        out.write(HEADER + "\r\n")
        for index in range(rows):
            category, level, title, major = _KINDS[index % len(_KINDS)]
            name = rng.choice(_SURNAMES) + "".join(rng.choices(_GIVEN, k=rng.randrange(1, 3)))
            writer.writerow(
                (
                    codes[index % units],
                    name,
                    "居民身份证",
                    _id_number(index, rng),
                    category,
                    level,
                    title,
                    major,
                    rng.choice(_EDUCATIONS),
                    rng.choice(_SCHOOLS),
                    "否" if index % 10 else "是",
                )
            )


def _cli_load(pg: PostgresServer, export: Path) -> tuple[float, str]:
    env = {
        **os.environ,
        "DATABASE_URL": pg.url,
        "DATABASE_NAME": DATABASE,
        "STAFFING_DATA_KEY": generate_key(),
        "STAFFING_HASH_KEY": generate_key(),
        "LOG_JSON": "false",
    }
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "services.staffing", "legacy-load", str(export)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        check=False,
    )
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"legacy-load failed ({done.returncode}): {done.stderr.decode()[-2000:]}")
    return elapsed, done.stdout.decode()


async def _bare_copy(pg: PostgresServer, export: Path) -> float:
    """COPY the export's rows as the CSV reader gives them (no checks, no sealing, no hashing) into
    a copy of legacy_persons (same columns, same indexes), from this one process."""
    conn = await asyncpg.connect(database_url_for(pg.url, DATABASE))
    try:
        await conn.execute("CREATE TABLE legacy_ceiling (LIKE legacy_persons INCLUDING ALL)")
        load_id = pgproto.UUID(uuid.uuid4().bytes)
        started = time.perf_counter()
        with export.open(encoding="utf-8-sig", newline="") as source:
            reader = csv.reader(source)
            next(reader)
            records = (_as_is(line, cells, load_id) for line, cells in enumerate(reader, start=2))
            async with conn.transaction():
                await conn.copy_records_to_table("legacy_ceiling", records=records, columns=COLUMNS)
        return time.perf_counter() - started
    finally:
        await conn.close()


def _as_is(line: int, cells: list[str], load_id: pgproto.UUID) -> tuple[object, ...]:
    """A row of the ceiling's COPY: the cells as read, the number where its sealed form and hash go."""
    code, name, kind, number, category, level, title, major, education, school, _ = cells
    plain = number.encode()
    row_id = pgproto.UUID(line.to_bytes(16))
    return (
        *(row_id, load_id, line, code, name, kind, plain, plain, number, None, None, category, level or None),
        *(title, major, education, school, False),
    )


def _measure(tmp: Path) -> list[Row]:
    export = tmp / "legacy.csv"
    write_export(export)
    pg = PostgresServer(tmp / "pg", free_port(), durable=True).start()
    try:
        seconds, printed = _cli_load(pg, export)
        accepted = int(re.search(r"导入\s*([0-9,]+)", printed).group(1).replace(",", ""))  # type: ignore[union-attr]
        if accepted != ROWS:
            raise RuntimeError(f"expected {ROWS:,} rows loaded, the command said: {printed}")
        ceiling = asyncio.run(_bare_copy(pg, export))
    finally:
        pg.stop()
    cores = os.cpu_count() or 1
    return [
        (f"legacy load, {ROWS:,} rows (CLI, end to end)", seconds, f"s on {cores} cores (goal ≤ 30 s)"),
        ("legacy load rate", ROWS / seconds, "rows/s"),
        (f"legacy ceiling: bare COPY of the same {ROWS:,} rows", ceiling, "s (no checks, no encryption)"),
    ]


def run() -> list[Row]:
    with tempfile.TemporaryDirectory() as tmp:
        return _measure(Path(tmp))


if __name__ == "__main__":
    for label, value, unit in run():
        print(f"{label:<60} {value:>12,.2f}  {unit}")
