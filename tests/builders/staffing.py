"""Builders of the staffing tests: valid 居民身份证 numbers and JSON payloads of a 技术人员, a
技术装备 and a 测绘业绩, each valid as built and overridable field by field."""

from __future__ import annotations

import datetime as dt
import itertools
import random
from typing import Any

from services.staffing.rules import id_check_char

__all__ = ["a_person", "a_project", "an_id_number", "an_instrument"]

_RNG = random.Random()
_SEQUENCES = itertools.count(_RNG.randrange(1, 900))
"""Sequence numbers handed out in turn, so numbers built in one run do not collide."""
_SERIALS = itertools.count(1)
_RUN = f"{_RNG.randrange(16**6):06X}"
"""A per-run tag, so serials stay unique across runs on a shared database."""


def an_id_number(
    birth: dt.date = dt.date(1985, 5, 1),
    *,
    province: str = "11",
    seq: int | None = None,
    rng: random.Random | None = None,
) -> str:
    """A valid 18-digit 居民身份证 number (GB 11643, MOD 11-2 check character).

    ``seq`` (0–999) fixes the three-digit sequence (its last digit odd → male); without it each
    call takes a fresh sequence and a random area, so numbers for many persons are unique.
    """
    chance = rng or _RNG
    area = f"{province}{chance.randrange(100):02d}{chance.randrange(1, 100):02d}"
    sequence = seq if seq is not None else next(_SEQUENCES) % 1000
    first17 = f"{area}{birth:%Y%m%d}{sequence:03d}"
    return first17 + id_check_char(first17)


def a_person(**overrides: Any) -> dict[str, Any]:
    """A PersonCreate payload: a 测绘专业技术人员 高级, with no documents attached."""
    payload: dict[str, Any] = {
        "name": "张三",
        "id_type": "居民身份证",
        "id_number": an_id_number(),
        "category": "测绘专业技术人员",
        "title_level": "高级",
        "title_name": "高级工程师",
        "major": "测绘工程",
        "education": "大学本科",
        "school": "武汉大学",
        "retired": False,
        "hired_on": "2015-07-01",
    }
    return payload | overrides


def an_instrument(**overrides: Any) -> dict[str, Any]:
    """An EquipmentCreate payload: a 全站仪 with a unique 出厂编号, calibrated for a year ahead."""
    today = dt.date.today()
    payload: dict[str, Any] = {
        "type": "全站仪",
        "brand": "徕卡",
        "model": "TS16",
        "serial": f"SN-{_RUN}-{next(_SERIALS):06d}",
        "purchased_on": (today - dt.timedelta(days=400)).isoformat(),
        "calibration_valid_until": (today + dt.timedelta(days=365)).isoformat(),
    }
    return payload | overrides


def a_project(**overrides: Any) -> dict[str, Any]:
    """A ProjectCreate payload: a 工程测量 project of 120.50 万元, signed and completed in the past."""
    today = dt.date.today()
    payload: dict[str, Any] = {
        "name": "某市1:500地形图测绘",
        "category": "工程测量",
        "amount_wan": "120.50",
        "client": "某市自然资源和规划局",
        "signed_on": (today - dt.timedelta(days=365)).isoformat(),
        "completed_on": (today - dt.timedelta(days=30)).isoformat(),
    }
    return payload | overrides
