"""The 2021 data file as a hand table: personnel rows, equipment groups and 业绩 with their grades.

test_standards_reference checks the same against figures parsed from standards.md.
"""

from __future__ import annotations

import pytest

from services.standards.loader import load_file
from services.standards.model import LevelStandard, StandardFile
from services.standards.settings import DEFAULT_DATA_DIR

DATA = load_file(DEFAULT_DATA_DIR / "2021.json")


def _level(category: str, level: str) -> LevelStandard:
    standard = next(item for item in DATA.standards if item.category == category)
    return next(item for item in standard.levels if item.level == level)


PERSONNEL = [
    ("大地测量", "甲级", (60, 4, 7, 13, 36), "A"),
    ("大地测量", "乙级", (25, 1, 4, 5, 15), "A"),
    ("测绘航空摄影", "甲级", (30, 2, 4, 6, 18), "A"),
    ("测绘航空摄影", "乙级", (15, 1, 2, 3, 9), "A"),
    ("摄影测量与遥感", "甲级", (40, 4, 7, 13, 16), "A"),
    ("摄影测量与遥感", "乙级", (8, 0, 2, 3, 3), "A"),
    ("工程测量", "甲级", (40, 4, 7, 13, 16), "A"),
    ("工程测量", "乙级", (6, 0, 2, 2, 2), "A"),
    ("海洋测绘", "甲级", (40, 4, 7, 13, 16), "A"),
    ("海洋测绘", "乙级", (6, 0, 2, 2, 2), "A"),
    ("界线与不动产测绘", "甲级", (40, 4, 7, 13, 16), "A"),
    ("界线与不动产测绘", "乙级", (6, 0, 2, 2, 2), "A"),
    ("地理信息系统工程", "甲级", (40, 4, 7, 13, 16), "B"),
    ("地理信息系统工程", "乙级", (8, 0, 2, 3, 3), "A"),
    ("地图编制", "甲级", (60, 4, 7, 13, 36), "B"),
    ("地图编制", "乙级", (25, 1, 4, 5, 15), "B"),
    ("导航电子地图制作", "甲级", (100, 4, 8, 28, 60), "A"),
    ("互联网地图服务", "甲级", None, "MISSING"),
    ("互联网地图服务", "乙级", (12, 0, 1, 0, 11), "B"),
]

EQUIPMENT = [  # (category, level, item, alternative) → (types, min, unit, effective grade)
    ("大地测量", "甲级", 0, 0, ("GNSS接收机(扼流圈天线)", "全站仪", "水准仪", "重力仪"), 30, "台", "B"),
    ("大地测量", "乙级", 0, 0, ("GNSS接收机", "全站仪", "水准仪"), 15, "台", "A"),
    ("测绘航空摄影", "甲级", 0, 0, ("无人飞行测量采集系统", "专业测绘航摄仪", "其他测绘传感器"), 4, "台(套)", "A"),
    ("测绘航空摄影", "乙级", 0, 0, ("无人飞行测量采集系统", "专业测绘航摄仪", "其他测绘传感器"), 2, "台(套)", "A"),
    ("摄影测量与遥感", "甲级", 0, 1, ("三维激光扫描仪",), 2, "台", "B"),
    ("摄影测量与遥感", "甲级", 1, 0, ("摄影测量系统", "遥感图像处理系统"), 8, "套", "B"),
    ("摄影测量与遥感", "乙级", 0, 0, ("GNSS接收机", "全站仪"), 3, "台", "A"),
    ("摄影测量与遥感", "乙级", 0, 1, ("三维激光扫描仪",), 1, "台", "A"),
    ("海洋测绘", "甲级", 0, 0, ("GNSS接收机", "全站仪"), 10, "台", "A"),
    ("海洋测绘", "甲级", 1, 1, ("多波束测深系统",), 2, "套", "A"),
    ("海洋测绘", "乙级", 1, 0, ("测深仪",), 1, "台", "A"),
    ("地理信息系统工程", "乙级", 0, 0, ("GNSS接收机", "三维激光扫描仪"), 2, "台", "B"),
    ("地理信息系统工程", "乙级", 1, 0, ("地理信息处理软件", "地理信息系统平台软件"), 2, "套", "B"),
]

MISSING_EQUIPMENT = [
    ("工程测量", "甲级"),
    ("工程测量", "乙级"),
    ("界线与不动产测绘", "甲级"),
    ("界线与不动产测绘", "乙级"),
    ("地理信息系统工程", "甲级"),
    ("地图编制", "甲级"),
    ("地图编制", "乙级"),
    ("导航电子地图制作", "甲级"),
    ("互联网地图服务", "甲级"),
    ("互联网地图服务", "乙级"),
]


def test_categories_are_the_ten_in_the_order_of_the_banfa() -> None:
    assert DATA.categories == (
        "大地测量",
        "测绘航空摄影",
        "摄影测量与遥感",
        "工程测量",
        "海洋测绘",
        "界线与不动产测绘",
        "地理信息系统工程",
        "地图编制",
        "导航电子地图制作",
        "互联网地图服务",
    )
    assert [item.category for item in DATA.standards] == list(DATA.categories)
    assert (DATA.version, DATA.effective_from.isoformat(), DATA.levels) == ("2021", "2021-07-01", ("甲级", "乙级"))


@pytest.mark.parametrize(("category", "level", "row", "grade"), PERSONNEL)
def test_hand_table_personnel(category: str, level: str, row: tuple[int, ...] | None, grade: str) -> None:
    figure = _level(category, level).personnel
    assert (figure.value, figure.grade) == (row, grade)


@pytest.mark.parametrize(("category", "level", "item", "alt", "types", "minimum", "unit", "grade"), EQUIPMENT)
def test_hand_table_equipment(
    category: str, level: str, item: int, alt: int, types: tuple[str, ...], minimum: int, unit: str, grade: str
) -> None:
    figure = _level(category, level).equipment
    encoded = (figure.value or ())[item]
    groups = [(encoded.sum_of, encoded.min, encoded.unit)] if encoded.sum_of else []
    groups += [(group.sum_of, group.min, group.unit) for group in encoded.one_of or ()]
    assert (*groups[alt], encoded.grade or figure.grade) == (types, minimum, unit, grade)


@pytest.mark.parametrize(("category", "level"), MISSING_EQUIPMENT)
def test_hand_table_missing_equipment_is_null_never_a_guess(category: str, level: str) -> None:
    figure = _level(category, level).equipment
    assert (figure.value, figure.grade) == (None, "MISSING")


def test_hand_table_performance_rule() -> None:
    (rule,) = DATA.performance_rules
    assert (rule.id, rule.prerequisite_level, rule.prerequisite_years, rule.window_years) == ("jia", "乙级", 2, 2)
    assert (rule.min_total_wan, rule.min_single_project_wan, rule.grade) == (600, 50, "A")
    merged = {s.category for s in DATA.standards for lvl in s.levels if lvl.performance.grade == "B"}
    assert merged == {"界线与不动产测绘", "地理信息系统工程", "地图编制", "导航电子地图制作"}
    assert _level("导航电子地图制作", "甲级").performance.value is None
    assert _level("互联网地图服务", "甲级").performance.grade == "MISSING"


def test_no_figure_is_graded_c_and_every_equipment_type_is_used() -> None:
    text = (DEFAULT_DATA_DIR / "2021.json").read_text(encoding="utf-8")
    assert '"grade": "C"' not in text
    used = {name for _, _, _, _, types, *_ in EQUIPMENT for name in types}
    assert used | {"浅地层剖面仪", "侧扫声呐", "海洋磁力仪", "声速仪", "水位计", "验流计", "全站仪"} == set(
        DATA.equipment_types
    )


def test_the_data_is_a_standard_file() -> None:
    assert isinstance(DATA, StandardFile) and DATA.official is False
