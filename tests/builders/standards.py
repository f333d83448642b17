"""Builders for the standards service: a realistic 资质标准核验 request and test settings."""

from __future__ import annotations

from typing import Any

from services.kernel import load_settings
from services.standards.settings import StandardsSettings

__all__ = ["EXAMPLE", "standards_settings"]

EXAMPLE: dict[str, Any] = {
    "version": "2021",
    "application_date": "2026-11-24",
    "requests": [{"category": "摄影测量与遥感", "level": "乙级"}, {"category": "导航电子地图制作", "level": "乙级"}],
    "staff": [
        {"id": "p1", "major": "测绘", "title": "高级", "countable": True},
        {"id": "p2", "major": "测绘", "title": "中级", "countable": True},
        {"id": "p3", "major": "测绘", "title": "初级", "countable": True},
        {"id": "p4", "major": "测绘", "title": "初级", "countable": True},
        {"id": "p5", "major": "相关", "title": None, "countable": True},
        {"id": "p6", "major": "测绘", "title": "高级", "countable": False},
    ],
    "equipment": [{"type": "GNSS接收机", "count": 2, "countable": True}],
    "held": [{"category": "摄影测量与遥感", "level": "乙级", "since": "2024-05-01"}],
    "projects": [{"category": "摄影测量与遥感", "amount_wan": 80, "completed_on": "2026-01-01"}],
}


def standards_settings(public_key: str, **overrides: object) -> StandardsSettings:
    """Settings of the standards app verifying tokens with ``public_key``."""
    return load_settings(StandardsSettings, {}, internal_token_public_key=public_key, log_json=False, **overrides)
