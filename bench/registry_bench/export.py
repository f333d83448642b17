"""The old system's certificate export for the registry bench: ``rows`` valid old-regime
certificates (甲/乙/丙/丁, numbers such as ``丙测资字3700123``, categories in the old names), in
UTF-8 with BOM as Excel saves it, and the numbers written."""

from __future__ import annotations

import csv
import datetime as dt
import random
from pathlib import Path

__all__ = ["HEADER", "write_export"]

HEADER = "证书编号,单位名称,统一社会信用代码,证书等级,专业类别,发证机关,发证日期,有效期至"
_PROVINCES = (11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52, 53)
_LEVELS = "甲乙丙丁"
_CATEGORIES = ("大地测量", "测绘航空摄影", "摄影测量与遥感", "工程测量", "地籍测绘", "房产测绘", "地理信息系统工程")
_CODE_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_NAMES = "华信达通泰恒远鑫宏盛博安正建中天"


def _row(index: int, rng: random.Random) -> tuple[str, ...]:
    level = _LEVELS[index % 4]
    province = _PROVINCES[(index // 4) % len(_PROVINCES)]
    sequence = index // (4 * len(_PROVINCES)) + 1
    issued = dt.date(2015, 1, 1) + dt.timedelta(days=rng.randrange(0, 2200))
    code = f"91{province}0100" + "".join(rng.choices(_CODE_CHARS, k=10))
    return (
        f"{level}测资字{province}{sequence:05d}",
        "".join(rng.choices(_NAMES, k=4)) + "测绘有限公司",
        code,
        level,
        ";".join(rng.sample(_CATEGORIES, rng.randrange(1, 4))),
        f"{province}省测绘地理信息局",
        issued.isoformat(),
        dt.date(2021, 12, 31).isoformat(),
    )


def write_export(path: Path, rows: int, seed: int = 2026) -> list[str]:
    """Write ``rows`` certificates to ``path``; their numbers (all distinct)."""
    rng = random.Random(seed)
    numbers = []
    with path.open("w", encoding="utf-8-sig", newline="") as out:
        writer = csv.writer(out, lineterminator="\r\n")
        out.write(HEADER + "\r\n")
        for index in range(rows):
            row = _row(index, rng)
            numbers.append(row[0])
            writer.writerow(row)
    return numbers
