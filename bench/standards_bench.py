"""In-process throughput of the standards engine (资质标准核验) on one core.

A realistic application: 3 categories at 甲级, 120 staff, 40 instrument records, 30 projects.
Reports evaluations per second (median of 3 runs) for the engine alone and for the whole
in-process path (decode JSON, evaluate, encode JSON). ``python bench/standards_bench.py``.
"""

from __future__ import annotations

import datetime
import gc
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import msgspec

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from contracts.standards.api import (
    EquipmentHolding,
    EvaluateRequest,
    Evaluation,
    HeldQualification,
    LevelRequest,
    ProjectRecord,
    StaffMember,
    Title,
)
from services.standards.catalog import Catalog
from services.standards.evaluation import evaluate
from services.standards.settings import DEFAULT_DATA_DIR

__all__ = ["application", "run"]

CATEGORIES = ("大地测量", "摄影测量与遥感", "海洋测绘")
TITLES: tuple[Title | None, ...] = ("高级", "中级", "初级", None)
TYPES = ("GNSS接收机", "全站仪", "水准仪", "重力仪", "三维激光扫描仪", "摄影测量系统", "测深仪", "多波束测深系统")


def application() -> EvaluateRequest:
    """3 categories, 120 staff, 40 instrument records, 30 projects."""
    day = datetime.date(2026, 11, 24)
    staff = [
        StaffMember(
            id=f"p{i}",
            major="测绘" if i % 3 else "相关",
            title=TITLES[i % 4],
            countable=i % 17 != 0,
        )
        for i in range(120)
    ]
    equipment = [
        EquipmentHolding(type=TYPES[i % len(TYPES)], count=1 + i % 3, countable=i % 11 != 0) for i in range(40)
    ]
    projects = [
        ProjectRecord(
            category=CATEGORIES[i % 3],
            amount_wan=20.5 + 3 * i,
            completed_on=day - datetime.timedelta(days=20 * i),
        )
        for i in range(30)
    ]
    held = [HeldQualification(category=name, level="乙级", since=datetime.date(2023, 5, 1)) for name in CATEGORIES]
    return EvaluateRequest(
        application_date=day,
        requests=[LevelRequest(category=name, level="甲级") for name in CATEGORIES],
        staff=staff,
        equipment=equipment,
        held=held,
        projects=projects,
    )


def _rate(work: Callable[[], object], *, seconds: float = 1.0) -> float:
    """Calls per CPU second of this process over about ``seconds`` of work: "on one core", and
    unaffected by time the virtual machine's other tenants take from it (wall time here varies
    by ±30% between runs for the same code)."""
    count, start = 0, time.process_time()
    while True:
        for _ in range(200):
            work()
        count += 200
        elapsed = time.process_time() - start
        if elapsed >= seconds:
            return count / elapsed


def _median_rate(work: Callable[[], object]) -> float:
    work()
    return statistics.median(_rate(work) for _ in range(3))


def run() -> list[tuple[str, float, str]]:
    """Rows ``(name, value, unit)``: engine only, and decode + evaluate + encode."""
    catalog = Catalog.from_dir(DEFAULT_DATA_DIR)
    gc.freeze()  # as the service does once started (services.kernel.app)
    request = application()
    body = msgspec.json.encode(request)
    decoder = msgspec.json.Decoder(EvaluateRequest)
    encoder = msgspec.json.Encoder()
    result: Evaluation = evaluate(catalog, request)
    assert len(result.results) == 3
    engine = _median_rate(lambda: evaluate(catalog, request))
    full = _median_rate(lambda: encoder.encode(evaluate(catalog, decoder.decode(body))))
    return [
        ("standards.evaluate in-process (3 categories, 120 staff, 40 instruments, 30 projects)", engine, "eval/s"),
        ("standards.evaluate in-process incl. JSON decode+encode", full, "eval/s"),
    ]


if __name__ == "__main__":
    for name, value, unit in run():
        sys.stdout.write(f"{name}: {value:,.0f} {unit}\n")
