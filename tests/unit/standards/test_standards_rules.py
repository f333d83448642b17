"""资质标准核验 rules, table-driven: 冲抵, equipment groups, verdicts, vocabulary (业绩: test_standards_performance)."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from contracts.standards.api import StaffMember
from services.standards.errors import InvalidRequestError, NoStandardInForceError, UnknownVersionError
from tests.unit.standards.standards_builders import (
    DAY,
    a_request,
    held,
    instruments,
    just_enough,
    person,
    project,
    run,
    staff,
    statuses,
)

GEODESY_B = ("大地测量", "乙级")  # [25, 1, 4, 5, 15]
GEODESY_A = ("大地测量", "甲级")  # [60, 4, 7, 13, 36]; 业绩 A
PHOTO_B = ("摄影测量与遥感", "乙级")  # [8, 0, 2, 3, 3]
TIERS = ("staff.cumulative.senior", "staff.cumulative.intermediate", "staff.cumulative.junior", "staff.total")
d = datetime.date

# --- personnel with 冲抵 --------------------------------------------------------------------

STAFF_CASES = [
    ("exactly the row", staff(1, 4, 5, 15), ("pass", "pass", "pass", "pass")),
    ("高级 covers missing 中级", staff(5, 0, 5, 15), ("pass", "pass", "pass", "pass")),
    ("高级 covers every tier and 相关", staff(25), ("pass", "pass", "pass", "pass")),
    ("中级 covers 初级", staff(1, 9, 0, 15), ("pass", "pass", "pass", "pass")),
    ("中级 never covers 高级", staff(0, 10, 5, 15), ("fail", "pass", "pass", "pass")),
    ("相关 never covers a 测绘 tier", staff(1, 4, 4, 16), ("pass", "pass", "fail", "pass")),
    ("one short of 总数", staff(1, 4, 5, 14), ("pass", "pass", "pass", "fail")),
    ("测绘 without 职称 counts toward 总数 only", staff(1, 4, 5, 0, 15), ("pass", "pass", "pass", "pass")),
    ("测绘 without 职称 is no 初级", staff(1, 4, 4, 0, 16), ("pass", "pass", "fail", "pass")),
    (
        "a 相关 person's 职称 is ignored",
        [person(major="相关", title="高级"), *staff(0, 5, 5, 15)],
        ("fail",) + ("pass",) * 3,
    ),
    ("uncountable people count for nothing", [person(countable=False), *staff(0, 5, 5, 15)], ("fail",) + ("pass",) * 3),
]


@pytest.mark.parametrize(("people", "expected"), [case[1:] for case in STAFF_CASES], ids=[c[0] for c in STAFF_CASES])
def test_personnel_tiers_are_cumulative(people: list[StaffMember], expected: tuple[str, ...]) -> None:
    got = statuses(a_request(GEODESY_B, staff=people))
    assert tuple(got[tier] for tier in TIERS) == expected


def test_a_failing_tier_explains_required_and_actual() -> None:
    result = run(a_request(PHOTO_B, staff=staff(1, 1, 2, 4))).results[0]
    junior = next(item for item in result.requirements if item.id == "staff.cumulative.junior")
    assert (junior.status, junior.required, junior.actual, junior.grade) == ("fail", 5, 4, "A")
    assert junior.message == "测绘专业初级及以上人员不足：需5人，实有4人"
    assert junior.kind == "staff" and junior.unit == "人" and junior.sources == ("S1", "S2", "S6")


# --- equipment -------------------------------------------------------------------------------

EQUIPMENT_CASES = [
    ("sum_of reaches 15 across listed types", GEODESY_B, {"GNSS接收机": 5, "全站仪": 5, "水准仪": 5}, ["pass"]),
    ("sum_of one short", GEODESY_B, {"GNSS接收机": 5, "全站仪": 5, "水准仪": 4}, ["fail"]),
    ("重力仪 is not listed for 大地 乙级", GEODESY_B, {"GNSS接收机": 14, "重力仪": 10}, ["fail"]),
    ("重力仪 is listed for 大地 甲级", GEODESY_A, {"GNSS接收机(扼流圈天线)": 20, "重力仪": 10}, ["pass"]),
    ("plain GNSS接收机 is not the 扼流圈 type", GEODESY_A, {"GNSS接收机": 30}, ["fail"]),
    ("one_of: the scanner alternative", PHOTO_B, {"三维激光扫描仪": 1, "摄影测量系统": 2}, ["pass", "pass"]),
    (
        "one_of: the GNSS + 全站仪 alternative",
        PHOTO_B,
        {"GNSS接收机": 2, "全站仪": 1, "遥感图像处理系统": 2},
        ["pass", "pass"],
    ),
    (
        "one_of: neither alternative",
        PHOTO_B,
        {"GNSS接收机": 2, "摄影测量系统": 1, "遥感图像处理系统": 1},
        ["fail", "pass"],
    ),
    ("separate items are checked separately", ("海洋测绘", "乙级"), {"全站仪": 2}, ["pass", "fail"]),
]


@pytest.mark.parametrize(
    ("wanted", "counts", "expected"), [case[1:] for case in EQUIPMENT_CASES], ids=[c[0] for c in EQUIPMENT_CASES]
)
def test_equipment_groups(wanted: tuple[str, str], counts: dict[str, int], expected: list[str]) -> None:
    got = statuses(a_request(wanted, equipment=instruments(counts)))
    assert [status for key, status in got.items() if key.startswith("equipment.")] == expected


def test_uncountable_instruments_do_not_count_and_records_of_a_type_add_up() -> None:
    records = instruments({"全站仪": 10}) + instruments({"全站仪": 5}) + instruments({"水准仪": 9}, countable=False)
    result = run(a_request(GEODESY_B, equipment=records)).results[0]
    item = next(item for item in result.requirements if item.id == "equipment.1")
    assert (item.status, item.required, item.actual, item.unit) == ("pass", 15, 15, "台")


def test_one_instrument_serves_several_categories_never_summed() -> None:
    facts = instruments({"GNSS接收机": 15, "摄影测量系统": 2})
    result = run(a_request(GEODESY_B, PHOTO_B, equipment=facts))
    for verdict in result.results:
        assert all(item.status == "pass" for item in verdict.requirements if item.kind == "equipment")


def test_a_failing_one_of_names_every_alternative() -> None:
    result = run(a_request(PHOTO_B, equipment=instruments({"GNSS接收机": 2}))).results[0]
    item = result.requirements[4]
    assert item.id == "equipment.1" and (item.required, item.actual) == (3, 2)
    assert "GNSS接收机、全站仪合计需3台，实有2台" in item.message and "三维激光扫描仪需1台，实有0台" in item.message


# --- verdicts --------------------------------------------------------------------------------


def test_a_unit_just_meeting_a_level_passes_and_lists_passing_requirements() -> None:
    result = run(a_request(GEODESY_A, **just_enough(*GEODESY_A)))
    assert result.overall == "pass" and result.results[0].status == "pass"
    ids = [item.id for item in result.results[0].requirements]
    assert ids == [*TIERS, "equipment.1", "performance.prerequisite", "performance.total", "performance.single_project"]


def test_navigation_map_has_no_yi_level() -> None:
    result = run(a_request(("导航电子地图制作", "乙级")))
    verdict = result.results[0]
    assert (result.overall, verdict.status) == ("fail", "not_available")
    (item,) = verdict.requirements
    assert (item.kind, item.status, item.grade) == ("level", "fail", "A")
    assert "导航电子地图制作甲级资质证书" in item.message


def test_navigation_map_jia_has_no_yi_prerequisite_but_its_equipment_is_missing() -> None:
    wanted = ("导航电子地图制作", "甲级")
    verdict = run(a_request(wanted, **just_enough(*wanted))).results[0]
    items = {item.id: item for item in verdict.requirements}
    assert (items["performance"].status, items["performance"].grade) == ("pass", "B")
    assert "无乙级资质前置要求" in items["performance"].message
    assert items["equipment"].status == "incomplete" and verdict.status == "incomplete"


def test_internet_map_jia_personnel_is_missing_so_incomplete() -> None:
    verdict = run(a_request(("互联网地图服务", "甲级"), staff=staff(50, 50, 50, 50))).results[0]
    items = {item.id: item for item in verdict.requirements}
    assert verdict.status == "incomplete"
    assert items["staff"].status == "incomplete" and items["staff"].grade == "MISSING"
    assert items["staff"].required is None and "标准数据不完整" in items["staff"].message
    assert "专业技术人员" in items["staff"].message


@pytest.mark.parametrize(
    ("people", "expected"), [(staff(0, 2, 2, 2), "incomplete"), (staff(0, 1, 2, 2), "fail")], ids=["meets", "short"]
)
def test_a_failure_outweighs_missing_data(people: list[StaffMember], expected: str) -> None:
    verdict = run(a_request(("工程测量", "乙级"), staff=people)).results[0]
    assert verdict.status == expected
    assert "标准数据不完整：工程测量乙级的技术装备要求缺失" in verdict.requirements[4].message


OVERALL_CASES = [
    ("pass only", [GEODESY_B], "pass"),
    ("pass and incomplete", [GEODESY_B, ("工程测量", "乙级")], "incomplete"),
    ("pass and not available", [GEODESY_B, ("导航电子地图制作", "乙级")], "fail"),
    ("incomplete and fail", [("工程测量", "乙级"), ("海洋测绘", "乙级")], "fail"),
]


@pytest.mark.parametrize(("wanted", "expected"), [c[1:] for c in OVERALL_CASES], ids=[c[0] for c in OVERALL_CASES])
def test_overall(wanted: list[tuple[str, str]], expected: str) -> None:
    facts = just_enough(*GEODESY_B)
    assert run(a_request(*wanted, **facts)).overall == expected


# --- versions and bad input --------------------------------------------------------------------


def test_the_version_in_force_is_used_unless_one_is_named() -> None:
    assert run(a_request(GEODESY_B, day=d(2021, 7, 1))).version == "2021"
    assert run(a_request(GEODESY_B, version="2021", day=d(2021, 6, 30))).version == "2021"
    with pytest.raises(NoStandardInForceError):
        run(a_request(GEODESY_B, day=d(2021, 6, 30)))
    with pytest.raises(UnknownVersionError):
        run(a_request(GEODESY_B, version="2014"))


BAD_INPUT = [
    ("unknown category", {"wanted": [("不动产测绘", "乙级")]}, "$.requests[0].category"),
    ("unknown level", {"wanted": [("大地测量", "丙级")]}, "$.requests[0].level"),
    ("duplicate request", {"wanted": [GEODESY_B, GEODESY_B]}, "$.requests[1]"),
    ("unknown equipment type", {"equipment": instruments({"全站仪": 1, "无人机": 1})}, "$.equipment[1].type"),
    ("unknown held category", {"held": [held("测量", DAY)]}, "$.held[0].category"),
    ("unknown project category", {"projects": [project("测量", 1)]}, "$.projects[0].category"),
]


@pytest.mark.parametrize(("overrides", "field"), [c[1:] for c in BAD_INPUT], ids=[c[0] for c in BAD_INPUT])
def test_terms_the_standard_does_not_define_are_refused_naming_the_field(overrides: dict[str, Any], field: str) -> None:
    wanted = overrides.pop("wanted", [GEODESY_B])
    with pytest.raises(InvalidRequestError) as error:
        run(a_request(*wanted, **overrides))
    assert [problem.field for problem in error.value.details] == [field]
    assert error.value.status_code == 400 and field in error.value.message


def test_duplicate_staff_ids_are_refused() -> None:
    twin = person()
    with pytest.raises(InvalidRequestError) as error:
        run(a_request(GEODESY_B, staff=[twin, person(), twin]))
    assert error.value.details[0].field == "$.staff[2].id"
