"""Load and validate the standard's data files; any defect stops the service naming file and field.

Beyond the Struct types (negative numbers, unknown fields, grade C), this checks what only the
whole file can tell: every 专业类别, 等级, 设备类型, performance rule and source referenced is
declared; MISSING figures are null; each category covers each level exactly once; 总数 equals
高+中+初+相关.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator
from pathlib import Path

import msgspec

from services.standards.errors import StandardDataError
from services.standards.model import (
    CategoryStandard,
    EquipmentFigure,
    EquipmentItem,
    LevelStandard,
    PerformanceFigure,
    PersonnelFigure,
    StandardFile,
    TextFigure,
)

__all__ = ["load_dir", "load_file"]

_decoder = msgspec.json.Decoder(StandardFile)
_AT = " - at `"


def load_dir(directory: Path) -> tuple[StandardFile, ...]:
    """Every ``<version>.json`` in ``directory``, ordered by effective date."""
    paths = sorted(directory.glob("*.json")) if directory.is_dir() else []
    if not paths:
        raise StandardDataError(directory, field="$", problem="目录中没有资质标准数据文件（<版本>.json）")
    files = sorted((load_file(path) for path in paths), key=lambda item: item.effective_from)
    for earlier, later in itertools.pairwise(files):
        if earlier.effective_from == later.effective_from:
            path = directory / f"{later.version}.json"
            problem = f"与版本{earlier.version}的生效日期相同"
            raise StandardDataError(path, field="$.effective_from", problem=problem)
    return tuple(files)


def load_file(path: Path) -> StandardFile:
    """Decode and validate one data file."""
    try:
        data = _decoder.decode(path.read_bytes())
    except (msgspec.ValidationError, msgspec.DecodeError) as exc:
        text = str(exc)
        field = "$" + text.rpartition(_AT)[2].rstrip("`").removeprefix("$") if _AT in text else "$"
        raise StandardDataError(path, field=field, problem=text.partition(_AT)[0]) from None
    found = next(_problems(data, path.stem), None)
    if found is not None:
        raise StandardDataError(path, field=found[0], problem=found[1])
    return data


Problem = tuple[str, str]
Figure = PersonnelFigure | EquipmentFigure | PerformanceFigure | TextFigure


def _problems(data: StandardFile, stem: str) -> Iterator[Problem]:
    if data.version != stem:
        yield "$.version", f"版本「{data.version}」与文件名「{stem}.json」不一致"
    for name in ("levels", "categories", "equipment_types"):
        yield from _duplicates(getattr(data, name), path=f"$.{name}")
    yield from _duplicates((rule.id for rule in data.performance_rules), path="$.performance_rules", suffix=".id")
    yield from _source_problems(data)
    yield from _coverage_problems(data)
    for i, standard in enumerate(data.standards):
        yield from _category_problems(data, standard=standard, path=f"$.standards[{i}]")


def _duplicates(names: Iterable[str], *, path: str, suffix: str = "") -> Iterator[Problem]:
    seen: set[str] = set()
    for i, name in enumerate(names):
        if name in seen:
            yield f"{path}[{i}]{suffix}", f"重复的名称「{name}」"
        seen.add(name)


def _coverage_problems(data: StandardFile) -> Iterator[Problem]:
    declared = set(data.categories)
    covered: set[str] = set()
    for i, standard in enumerate(data.standards):
        if standard.category not in declared:
            yield f"$.standards[{i}].category", f"未知专业类别「{standard.category}」（未在 $.categories 中声明）"
        elif standard.category in covered:
            yield f"$.standards[{i}].category", f"专业类别「{standard.category}」重复"
        covered.add(standard.category)
    for i, name in enumerate(data.categories):
        if name not in covered:
            yield f"$.categories[{i}]", f"专业类别「{name}」没有专业标准（$.standards 中缺少）"


def _category_problems(data: StandardFile, *, standard: CategoryStandard, path: str) -> Iterator[Problem]:
    listed = [(f"{path}.levels[{j}].level", item.level) for j, item in enumerate(standard.levels)]
    listed += [(f"{path}.unavailable[{k}].level", item.level) for k, item in enumerate(standard.unavailable)]
    seen: set[str] = set()
    for field, level in listed:
        if level not in data.levels:
            yield field, f"未知等级「{level}」（未在 $.levels 中声明）"
        elif level in seen:
            yield field, f"等级「{level}」重复"
        seen.add(level)
    for level in data.levels:
        if level not in seen:
            yield f"{path}.levels", f"{standard.category}缺少等级「{level}」（应列于 levels 或 unavailable）"
    yield from _figure_problems(standard.subitems, f"{path}.subitems")
    for j, item in enumerate(standard.levels):
        yield from _level_problems(data, level=item, path=f"{path}.levels[{j}]")
    for k, gap in enumerate(standard.unavailable):
        target = f"{path}.unavailable[{k}].apply_instead"
        if not _is_available(data, category=gap.apply_instead.category, level=gap.apply_instead.level):
            ref = gap.apply_instead
            yield target, f"「{ref.category}{ref.level}」不是已定义且设有的等级"


def _is_available(data: StandardFile, *, category: str, level: str) -> bool:
    return any(
        standard.category == category and any(item.level == level for item in standard.levels)
        for standard in data.standards
    )


def _level_problems(data: StandardFile, *, level: LevelStandard, path: str) -> Iterator[Problem]:
    for name, figure in _figures(level):
        yield from _figure_problems(figure, f"{path}.{name}")
    row = level.personnel.value
    if row is not None and row[0] != sum(row[1:]):
        yield f"{path}.personnel.value[0]", f"总数{row[0]}不等于高级+中级+初级+相关之和{sum(row[1:])}"
    rule_ids = {rule.id for rule in data.performance_rules}
    if level.performance.value is not None and level.performance.value not in rule_ids:
        yield f"{path}.performance.value", f"未定义的业绩规则「{level.performance.value}」"
    yield from _equipment_problems(data, figure=level.equipment, path=f"{path}.equipment")


def _figures(level: LevelStandard) -> list[tuple[str, Figure]]:
    figures: list[tuple[str, Figure]] = [
        ("personnel", level.personnel),
        ("equipment", level.equipment),
        ("performance", level.performance),
    ]
    return figures + ([("work_limits", level.work_limits)] if level.work_limits is not None else [])


def _figure_problems(figure: Figure, path: str) -> Iterator[Problem]:
    if figure.grade == "MISSING" and figure.value is not None:
        yield f"{path}.value", "等级为 MISSING 的数据必须为 null（缺失数据不得估计）"


def _equipment_problems(data: StandardFile, *, figure: EquipmentFigure, path: str) -> Iterator[Problem]:
    for i, item in enumerate(figure.value or ()):
        yield from _item_problems(data, item=item, path=f"{path}.value[{i}]")


def _item_problems(data: StandardFile, *, item: EquipmentItem, path: str) -> Iterator[Problem]:
    if (item.sum_of is None) == (item.one_of is None):
        yield path, "设备要求须且只须含 sum_of 或 one_of 之一"
    elif item.sum_of is not None and (item.min is None or item.unit is None):
        yield path, "sum_of 设备要求须给出 min 与 unit"
    elif item.one_of is not None and (item.min is not None or item.unit is not None):
        yield path, "one_of 设备要求的 min 与 unit 应写在各备选组内"
    groups = [(f"{path}.sum_of", item.sum_of or ())]
    groups += [(f"{path}.one_of[{k}].sum_of", group.sum_of) for k, group in enumerate(item.one_of or ())]
    known = set(data.equipment_types)
    for field, types in groups:
        for k, name in enumerate(types):
            if name not in known:
                yield f"{field}[{k}]", f"未定义的设备类型「{name}」（未在 $.equipment_types 中声明）"


def _source_problems(data: StandardFile) -> Iterator[Problem]:
    for path, keys in _source_refs(data):
        for k, key in enumerate(keys):
            if key not in data.sources:
                yield f"{path}.sources[{k}]", f"未定义的来源「{key}」（未在 $.sources 中声明）"


def _source_refs(data: StandardFile) -> Iterator[tuple[str, tuple[str, ...]]]:
    for i, rule in enumerate(data.performance_rules):
        yield f"$.performance_rules[{i}]", rule.sources
    for i, general in enumerate(data.rules):
        yield f"$.rules[{i}]", general.sources
    for i, standard in enumerate(data.standards):
        path = f"$.standards[{i}]"
        yield f"{path}.subitems", standard.subitems.sources
        for k, gap in enumerate(standard.unavailable):
            yield f"{path}.unavailable[{k}]", gap.sources
        for j, level in enumerate(standard.levels):
            yield from _level_source_refs(level, f"{path}.levels[{j}]")


def _level_source_refs(level: LevelStandard, path: str) -> Iterator[tuple[str, tuple[str, ...]]]:
    for name, figure in _figures(level):
        yield f"{path}.{name}", figure.sources
    for i, item in enumerate(level.equipment.value or ()):
        yield f"{path}.equipment.value[{i}]", item.sources
