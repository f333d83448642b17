"""The 2021 data file against the reference: every A/B figure of standards.md section 3, with its grade.

The figures are parsed from the reference at test time. The reference is required: it is the only
check independent of our data file, so its absence fails every test here rather than skipping
them (the clone has ``../shared`` beside it, in CI too). test_standards_data holds the same check
as a hand table.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from services.standards.loader import load_file
from services.standards.model import EquipmentFigure, LevelStandard
from services.standards.settings import DEFAULT_DATA_DIR

DATA = load_file(DEFAULT_DATA_DIR / "2021.json")
REFERENCE = Path(__file__).resolve().parents[3].parent / "shared" / "reference" / "standards.md"
GRADE = re.compile(r"(?<![A-Za-z])(A|B|C|MISSING)(?![A-Za-z0-9])")
GROUP = re.compile(r"\{sum_of: \[(.*?)\], min: (\d+), unit: (.*?)\}")
SOURCE = re.compile(r"\[(S\d+[a-z]?)\]")


# --- a reader for the reference's section 3 --------------------------------------------------


@dataclass
class Fig:
    """One figure of the reference: raw value text, grade and sources from its comment."""

    value: str
    grade: str | None
    sources: set[str]
    items: list[dict[str, Any]] = field(default_factory=list)  # equipment items / list entries


@dataclass
class Reference:
    figures: dict[tuple[str, str, str], Fig] = field(default_factory=dict)
    applies_to: set[str] = field(default_factory=set)
    probably_applies_to: set[str] = field(default_factory=set)


def _split(line: str) -> tuple[str, str]:
    body, _, comment = line.partition("#")
    return body.rstrip(), comment


def _grade(comment: str) -> str | None:
    found = GRADE.search(comment)
    return found.group(1) if found else None


def _names(text: str) -> list[str]:
    return [name.strip() for name in text.strip().strip("[]").split(",") if name.strip()]


def read_reference(text: str) -> Reference:
    ref = Reference()
    rule = text.split("jia_performance_rule:", 1)[1]
    ref.applies_to = set(_names(re.search(r"\n  applies_to: (\[.*?\])", rule).group(1)))  # type: ignore[union-attr]
    ref.probably_applies_to = set(_names(re.search(r"probably_applies_to: (\[.*?\])", rule).group(1)))  # type: ignore[union-attr]
    block = text.split("## 3.", 1)[1].split("### 3.1", 1)[0].split("```yaml", 1)[1].split("```", 1)[0]
    category, level, pending = "", "", ""
    current: Fig | None = None
    for line in block.splitlines():
        body, comment = _split(line)
        indent = len(line) - len(line.lstrip())
        if pending and current is not None:  # a list continued on the next line, comment at its end
            pending += " " + body.strip()
            if "]" in body:
                current.value, pending = pending, ""
                current.grade, current.sources = _grade(comment), set(SOURCE.findall(comment))
            continue
        if not body.strip():
            continue
        key, _, value = body.strip().partition(":")
        if indent == 0:
            category, level = key, ""
        elif indent == 2 and key in ("甲级", "乙级"):
            level = key
            if value.strip():
                ref.figures[category, key, "level"] = Fig(value.strip(), _grade(comment), set(SOURCE.findall(comment)))
        elif indent in (2, 4):
            current = Fig(value.strip(), _grade(comment), set(SOURCE.findall(comment)))
            ref.figures[category, level if indent == 4 else "", key] = current
            if value.strip().startswith("[") and "]" not in value:
                pending = value.strip()
        elif indent == 6 and body.strip().startswith("- ") and current is not None:
            item = body.strip()[2:]
            current.items.append({"text": item, "grade": _grade(comment), "groups": GROUP.findall(item)})
        elif indent >= 8 and body.strip().startswith("- ") and current is not None:
            current.items[-1]["groups"] += GROUP.findall(body)
            current.items[-1]["grade"] = current.items[-1]["grade"] or _grade(comment)
    return ref


def load_reference(path: Path) -> Reference:
    """The parsed reference at ``path``; an AssertionError naming the path when it is missing."""
    if not path.is_file():
        raise AssertionError(
            f"the standards reference is required and was not found at {path} "
            "(expected at <repo>/../shared/reference/standards.md; the checks against it are the only "
            "independent check of the data file, so they fail rather than skip)"
        )
    return read_reference(path.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def reference() -> Reference:
    return load_reference(REFERENCE)


def test_a_missing_reference_fails_loudly_with_where_it_is_expected(tmp_path: Path) -> None:
    missing = tmp_path / "shared" / "reference" / "standards.md"
    with pytest.raises(AssertionError, match="standards reference is required") as failure:
        load_reference(missing)
    assert str(missing) in str(failure.value)
    assert "../shared/reference/standards.md" in str(failure.value)


def _level(category: str, level: str) -> LevelStandard:
    standard = next(item for item in DATA.standards if item.category == category)
    return next(item for item in standard.levels if item.level == level)


def _level_figures(reference: Reference, key: str) -> list[tuple[str, str, Fig]]:
    return [(c, lvl, fig) for (c, lvl, k), fig in reference.figures.items() if k == key and lvl]


# --- parsed from the reference --------------------------------------------------------------


def test_the_reader_found_every_category_and_row(reference: Reference) -> None:
    assert {c for c, _, _ in reference.figures} == set(DATA.categories)
    assert len(_level_figures(reference, "pers")) == 19
    assert len(reference.applies_to) == 5 and len(reference.probably_applies_to) == 3


def test_personnel_rows_and_grades_match_the_reference(reference: Reference) -> None:
    for category, level, fig in _level_figures(reference, "pers"):
        figure = _level(category, level).personnel
        where = f"{category} {level}"
        if fig.value == "null" or fig.grade in ("C", "MISSING"):
            assert (figure.value, figure.grade) == (None, "MISSING"), where
            continue
        assert list(figure.value or ()) == [int(n) for n in _names(fig.value)], where
        assert figure.grade == fig.grade, where
        assert fig.sources <= set(figure.sources), where


def _groups(figure: EquipmentFigure) -> list[list[tuple[str, str, str]]]:
    items = []
    for item in figure.value or ():
        groups = [(item.sum_of, item.min, item.unit)] if item.sum_of else []
        groups += [(group.sum_of, group.min, group.unit) for group in item.one_of or ()]
        items.append([(", ".join(types or ()), str(minimum), unit or "") for types, minimum, unit in groups])
    return items


def test_equipment_groups_and_grades_match_the_reference(reference: Reference) -> None:
    for category, level, fig in _level_figures(reference, "equipment"):
        figure = _level(category, level).equipment
        where = f"{category} {level}"
        if not fig.items or fig.grade in ("C", "MISSING"):
            assert (figure.value, figure.grade) == (None, "MISSING"), where
            continue
        assert _groups(figure) == [item["groups"] for item in fig.items], where
        assert fig.sources <= set(figure.sources), where
        for item, encoded in zip(fig.items, figure.value or (), strict=True):
            expected = item["grade"] or fig.grade or "B"  # an unannotated item is one source: B
            assert (encoded.grade or figure.grade) == expected, f"{where} {item['text']}"


def test_performance_matches_the_reference(reference: Reference) -> None:
    for category, level, fig in _level_figures(reference, "performance"):
        figure = _level(category, level).performance
        where = f"{category} {level}"
        if fig.value == "jia_performance_rule":
            confirmed = "A" if category in reference.applies_to else "B"
            assert (figure.value, figure.grade) == ("jia", fig.grade or confirmed), where
            assert fig.sources <= set(figure.sources), where
        elif fig.grade in ("C", "MISSING"):
            assert (figure.value, figure.grade) == (None, "MISSING"), where
        else:  # null with a grade: the standard sets none (导航: no 乙级 prerequisite)
            assert (figure.value, figure.grade) == (None, fig.grade), where


def test_yi_level_has_no_performance_and_jia_has_no_work_limits() -> None:
    for standard in DATA.standards:
        for level in standard.levels:
            if level.level == "乙级":
                assert level.performance.value is None and level.performance.grade == "A"
            else:
                assert level.work_limits is None


def test_work_limits_match_the_reference(reference: Reference) -> None:
    for category, level, fig in _level_figures(reference, "work_limits"):
        figure = _level(category, level).work_limits
        assert figure is not None
        where = f"{category} {level}"
        if fig.grade in ("C", "MISSING") or fig.value == "null":
            assert (figure.value, figure.grade) == (None, "MISSING"), where
            continue
        texts = [item["text"] for item in fig.items] or _names(fig.value)
        assert (list(figure.value or ()), figure.grade) == (texts, fig.grade), where
        assert fig.sources <= set(figure.sources), where


def test_subitems_match_the_reference(reference: Reference) -> None:
    for standard in DATA.standards:
        fig = reference.figures.get((standard.category, "", "subitems"))
        confirmed = reference.figures.get((standard.category, "", "subitems_confirmed"))
        if confirmed is not None:  # truncated in the source: the names before "…", graded B
            names = [name for name in _names(confirmed.value) if not name.endswith("…")]
            assert (list(standard.subitems.value or ()), standard.subitems.grade) == (names, "B")
        elif fig is None or fig.value == "null" or fig.grade in ("C", "MISSING"):
            assert (standard.subitems.value, standard.subitems.grade) == (None, "MISSING")
        else:
            assert (list(standard.subitems.value or ()), standard.subitems.grade) == (_names(fig.value), fig.grade)


def test_navigation_yi_is_not_available(reference: Reference) -> None:
    fig = reference.figures["导航电子地图制作", "乙级", "level"]
    standard = next(item for item in DATA.standards if item.category == "导航电子地图制作")
    assert fig.value == "NOT_AVAILABLE"
    assert [(gap.level, gap.grade, gap.certificate) for gap in standard.unavailable] == [
        ("乙级", fig.grade, "导航电子地图制作甲级资质证书")
    ]
