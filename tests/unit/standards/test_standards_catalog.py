"""Loading the standard's data: defects stop start-up naming file and field; versions by date."""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from services.kernel import load_settings
from services.standards.catalog import Catalog
from services.standards.errors import StandardDataError
from services.standards.evaluation import evaluate
from services.standards.settings import DEFAULT_DATA_DIR, StandardsSettings, data_dir
from tests.unit.standards.standards_builders import a_request, staff

Raw = dict[str, Any]
ORIGINAL: Raw = json.loads((DEFAULT_DATA_DIR / "2021.json").read_text(encoding="utf-8"))


def _write(directory: Path, data: Raw, name: str = "2021") -> Path:
    path = directory / f"{name}.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def _copy() -> Raw:
    return json.loads(json.dumps(ORIGINAL))


def _geodesy_jia(data: Raw) -> Raw:
    return data["standards"][0]["levels"][0]


def _set(path: Callable[[Raw], Raw], key: str | int, value: object) -> Callable[[Raw], None]:
    def change(data: Raw) -> None:
        path(data)[key] = value  # type: ignore[index]

    return change


def _personnel(data: Raw) -> Raw:
    return _geodesy_jia(data)["personnel"]


def _drop_yi(data: Raw) -> None:
    del data["standards"][0]["levels"][1]


def _drop_last_category(data: Raw) -> None:
    del data["standards"][9]


DEFECTS = [
    (
        "unknown category",
        _set(lambda d: d["standards"][0], "category", "不动产测绘"),
        "$.standards[0].category",
        "未知专业类别",
    ),
    (
        "negative number",
        lambda d: _personnel(d)["value"].__setitem__(1, -4),
        "$.standards[0].levels[0].personnel.value[1]",
        ">= 0",
    ),
    (
        "undefined equipment type",
        lambda d: _geodesy_jia(d)["equipment"]["value"][0]["sum_of"].__setitem__(3, "重力计"),
        "$.standards[0].levels[0].equipment.value[0].sum_of[3]",
        "未定义的设备类型「重力计」",
    ),
    (
        "undefined type in a one_of alternative",
        lambda d: d["standards"][2]["levels"][0]["equipment"]["value"][0]["one_of"][1]["sum_of"].__setitem__(
            0, "扫描仪"
        ),
        "$.standards[2].levels[0].equipment.value[0].one_of[1].sum_of[0]",
        "未定义的设备类型",
    ),
    ("unknown field", _set(_geodesy_jia, "personel", {}), "$.standards[0].levels[0]", "unknown field `personel`"),
    ("grade C is never a rule", _set(_personnel, "grade", "C"), "$.standards[0].levels[0].personnel.grade", "'C'"),
    ("MISSING must be null", _set(_personnel, "grade", "MISSING"), "$.standards[0].levels[0].personnel.value", "null"),
    (
        "总数 is the sum of its parts",
        lambda d: _personnel(d)["value"].__setitem__(0, 61),
        "$.standards[0].levels[0].personnel.value[0]",
        "61",
    ),
    (
        "undefined source",
        _set(_personnel, "sources", ["S1", "S99"]),
        "$.standards[0].levels[0].personnel.sources[1]",
        "S99",
    ),
    ("version differs from the file name", _set(lambda d: d, "version", "2022"), "$.version", "2021.json"),
    (
        "undefined performance rule",
        _set(lambda d: _geodesy_jia(d)["performance"], "value", "yi"),
        "$.standards[0].levels[0].performance.value",
        "业绩规则「yi」",
    ),
    ("a level not covered", _drop_yi, "$.standards[0].levels", "乙级"),
    ("a declared category without a standard", _drop_last_category, "$.categories[9]", "互联网地图服务"),
    (
        "apply_instead a level that does not exist",
        _set(lambda d: d["standards"][8]["unavailable"][0]["apply_instead"], "level", "乙级"),
        "$.standards[8].unavailable[0].apply_instead",
        "导航电子地图制作乙级",
    ),
    ("malformed date", _set(lambda d: d, "effective_from", "2021-7-1"), "$.effective_from", "date"),
]


@pytest.mark.parametrize(("change", "field", "words"), [c[1:] for c in DEFECTS], ids=[c[0] for c in DEFECTS])
def test_a_defect_stops_loading_naming_file_and_field(
    tmp_path: Path, change: Callable[[Raw], None], field: str, words: str
) -> None:
    data = _copy()
    change(data)
    path = _write(tmp_path, data)
    with pytest.raises(StandardDataError) as error:
        Catalog.from_dir(tmp_path)
    assert str(error.value).startswith(f"{path}: {field}: ")
    assert words in error.value.problem


def test_malformed_json_and_an_empty_directory_are_refused(tmp_path: Path) -> None:
    with pytest.raises(StandardDataError) as empty:
        Catalog.from_dir(tmp_path)
    assert str(empty.value).startswith(f"{tmp_path}: $: ")
    (tmp_path / "2021.json").write_text('{"version": "2021",', encoding="utf-8")
    with pytest.raises(StandardDataError) as broken:
        Catalog.from_dir(tmp_path)
    assert str(broken.value).startswith(f"{tmp_path / '2021.json'}: $: ")


def _replacement(version: str, effective_from: str, geodesy_yi: list[int]) -> Raw:
    data = _copy()
    data.update(version=version, effective_from=effective_from, official=True)
    personnel = data["standards"][0]["levels"][1]["personnel"]
    personnel.update(value=geodesy_yi, grade="OFFICIAL")
    return data


def test_a_new_version_takes_effect_on_its_date_without_code(tmp_path: Path) -> None:
    _write(tmp_path, _copy())
    _write(tmp_path, _replacement("2030", "2030-01-01", [30, 2, 4, 6, 18]), name="2030")
    catalog = Catalog.from_dir(tmp_path)
    assert [(v.version, v.official) for v in catalog.versions().versions] == [("2021", False), ("2030", True)]
    people = staff(1, 4, 5, 15)
    for day, version, expected in [
        (datetime.date(2029, 12, 31), None, ("2021", "pass", "A")),
        (datetime.date(2030, 1, 1), None, ("2030", "fail", "OFFICIAL")),
        (datetime.date(2030, 1, 1), "2021", ("2021", "pass", "A")),
    ]:
        result = evaluate(catalog, a_request(("大地测量", "乙级"), day=day, version=version, staff=people))
        total = result.results[0].requirements[3]
        assert (result.version, total.status, total.grade) == expected
        assert total.verified is (expected[2] == "OFFICIAL")


def test_two_versions_on_the_same_day_are_refused(tmp_path: Path) -> None:
    _write(tmp_path, _copy())
    _write(tmp_path, _replacement("2021b", "2021-07-01", [25, 1, 4, 5, 15]), name="2021b")
    with pytest.raises(StandardDataError, match=r"2021b\.json: \$\.effective_from: "):
        Catalog.from_dir(tmp_path)


def test_the_data_directory_is_a_setting(tmp_path: Path) -> None:
    assert data_dir(load_settings(StandardsSettings, {})) == DEFAULT_DATA_DIR
    configured = load_settings(StandardsSettings, {"STANDARDS_DATA_DIR": str(tmp_path)})
    assert data_dir(configured) == tmp_path


def test_the_published_detail_mirrors_the_data() -> None:
    detail = Catalog.from_dir(DEFAULT_DATA_DIR).detail("2021")
    assert detail.categories[8] == "导航电子地图制作" and "GNSS接收机(扼流圈天线)" in detail.equipment_types
    geodesy = detail.standards[0]
    assert geodesy.levels[1].work_limits is not None and geodesy.levels[1].work_limits.grade == "B"
    assert detail.standards[8].unavailable[0].apply_instead.level == "甲级"
