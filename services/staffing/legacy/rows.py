"""The rows of the old system's staff export read into LegacyRows, or the reasons they are refused.

Pure: a piece of CSV text in, values out. Every cell is checked (a row gets one reason per bad
cell, so the administrator fixes a row once); nothing overlong is cut to fit. This is the work a
loader's worker process does, so it imports nothing heavier than the rules (not the service's
error tree, which brings the web framework: the words for a refused number come in RowRules).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from operator import itemgetter
from typing import NamedTuple, TypeVar

from ..rules import DocumentType, IdNumber, IdProblem, read_id_number
from .columns import (
    CATEGORIES,
    CATEGORY,
    CREDIT_CODE,
    CREDIT_CODE_PATTERN,
    EDUCATION,
    EDUCATIONS,
    ID_NUMBER,
    ID_TYPE,
    ID_TYPES,
    MAJOR,
    MAX_ID_NUMBER,
    MAX_NAME,
    MAX_TEXT,
    NAME,
    RETIRED,
    RETIRED_VALUES,
    ROW,
    SCHOOL,
    SURVEYING,
    TITLE_LEVEL,
    TITLE_LEVELS,
    TITLE_NAME,
    Reasons,
)

__all__ = ["Cells", "Header", "LegacyRow", "Parsed", "Piece", "Rejection", "RowRules", "read_piece", "read_row"]

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Header:
    """Where each of ``COLUMNS`` is in a row (-1: the export has no such column), and how many
    cells the header has."""

    positions: tuple[int, ...]
    width: int
    _pick: Callable[[list[str]], tuple[str, ...]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_pick", itemgetter(*self.positions))

    def cells(self, cells: list[str]) -> Cells:
        """The row's stripped cell of each of ``COLUMNS``. Pads ``cells`` in place: a short row
        reads as empty cells, and a missing column (-1) as the empty cell appended last."""
        if len(cells) < self.width:
            cells.extend([""] * (self.width - len(cells)))
        cells.append("")
        return Cells._make(map(str.strip, self._pick(cells)))


class Cells(NamedTuple):
    """A row's cells as read, stripped, by column (in the order of ``COLUMNS``)."""

    credit_code: str
    name: str
    id_type: str
    id_number: str
    category: str
    title_level: str
    title_name: str
    major: str
    education: str
    school: str
    retired: str


@dataclass(frozen=True, slots=True)
class Piece:
    """A run of whole rows of the export, and the file's line number of its first line."""

    text: str
    first_line: int


@dataclass(frozen=True, slots=True)
class RowRules:
    """What a row is judged by: the day ``on`` (birth dates, age) and the sentence for each
    refused 证件号码 (errors.id_number_message, computed by the caller)."""

    on: dt.date
    id_messages: Mapping[tuple[DocumentType, IdProblem], str]


@dataclass(frozen=True, slots=True)
class Rejection:
    """A line of the rejected-rows report: 行号 (as in the file), 列, 原因."""

    line: int
    column: str
    reason: str


@dataclass(frozen=True, slots=True)
class LegacyRow:
    """An accepted row: a person of the old system at the unit of ``credit_code``. ``id_number``
    is normalised; ``gender`` and ``birth_date`` are read from it where its format carries them."""

    line: int
    credit_code: str
    name: str
    id_type: str
    id_number: str
    gender: str | None
    birth_date: dt.date | None
    category: str
    title_level: str | None
    title_name: str | None
    major: str | None
    education: str | None
    school: str | None
    retired: bool


@dataclass(slots=True)
class Parsed:
    """What a piece held: the accepted rows, the rejected rows' reasons, and how many rows (blank
    lines are not rows)."""

    rows: list[LegacyRow] = field(default_factory=list)
    rejections: list[Rejection] = field(default_factory=list)
    count: int = 0


def read_piece(piece: Piece, header: Header, rules: RowRules) -> Parsed:
    """Every row of ``piece`` read (blank lines skipped), in the order of the file."""
    parsed = Parsed()
    reader = csv.reader(io.StringIO(piece.text, newline=""))
    while True:
        line = piece.first_line + reader.line_num
        try:
            cells = next(reader)
        except StopIteration:
            return parsed
        except csv.Error:
            parsed.count += 1
            parsed.rejections.append(Rejection(line, ROW, Reasons.unreadable))
            continue
        if not "".join(cells).strip():
            continue  # a blank line, or one of empty cells only (",,,,")
        parsed.count += 1
        row = read_row(cells, header, line=line, rules=rules)
        if isinstance(row, LegacyRow):
            parsed.rows.append(row)
        else:
            parsed.rejections.extend(row)


class _Cells:
    """The problems found in one row so far, and the checks that add to them."""

    __slots__ = ("problems",)

    def __init__(self) -> None:
        self.problems: list[tuple[str, str]] = []

    def refuse(self, column: str, reason: str) -> None:
        self.problems.append((column, reason))

    def text(self, value: str, column: str, limit: int, *, required: bool = False) -> str | None:
        if not value:
            if required:
                self.refuse(column, Reasons.missing(column))
            return None
        if len(value) > limit:
            self.refuse(column, Reasons.too_long(column, limit))
            return None
        return value

    def choice(
        self, value: str, column: str, choices: Mapping[str, T], reason: str, *, optional: bool = False
    ) -> T | None:
        """The value ``choices`` maps ``value`` to; an empty ``optional`` cell is None, not refused."""
        if optional and not value:
            return None
        found = choices.get(value)
        if found is None:
            self.refuse(column, reason)
        return found

    def credit_code(self, value: str) -> str:
        code = value.upper()
        if not code:
            self.refuse(CREDIT_CODE, Reasons.missing(CREDIT_CODE))
        elif not CREDIT_CODE_PATTERN.fullmatch(code):
            self.refuse(CREDIT_CODE, Reasons.credit_code)
        return code

    def id_number(self, kind: DocumentType | None, value: str, rules: RowRules) -> IdNumber | None:
        if kind is None:
            return None  # the 证件类型 is refused already; the number cannot be judged without it
        if len(value) > MAX_ID_NUMBER:
            self.refuse(ID_NUMBER, Reasons.too_long(ID_NUMBER, MAX_ID_NUMBER))
            return None
        read = read_id_number(kind, value, on=rules.on)
        if isinstance(read, IdProblem):
            self.refuse(ID_NUMBER, rules.id_messages[kind, read])
            return None
        return read

    def category(self, value: str, title_level: str) -> str | None:
        if not value:
            self.refuse(CATEGORY, Reasons.missing(CATEGORY))
            return None
        category = self.choice(value, CATEGORY, CATEGORIES, Reasons.category)
        if category == SURVEYING and not title_level:
            self.refuse(TITLE_LEVEL, Reasons.title_required)
        return category


def read_row(cells: list[str], header: Header, *, line: int, rules: RowRules) -> LegacyRow | list[Rejection]:
    """The row at ``line`` of the file, read by ``rules``."""
    extra = len(cells) > header.width and "".join(cells[header.width :]).strip()
    raw = header.cells(cells)
    check = _Cells()
    credit_code = check.credit_code(raw.credit_code)
    name = check.text(raw.name, NAME, MAX_NAME, required=True)
    kind = check.choice(raw.id_type or DocumentType.RESIDENT_ID.value, ID_TYPE, ID_TYPES, Reasons.id_type)
    number = check.id_number(kind, raw.id_number, rules)
    category = check.category(raw.category, raw.title_level)
    title_level = check.choice(raw.title_level, TITLE_LEVEL, TITLE_LEVELS, Reasons.title_level, optional=True)
    title_name = check.text(raw.title_name, TITLE_NAME, MAX_TEXT)
    major = check.text(raw.major, MAJOR, MAX_TEXT)
    education = check.choice(raw.education, EDUCATION, EDUCATIONS, Reasons.education, optional=True)
    school = check.text(raw.school, SCHOOL, MAX_TEXT)
    retired = check.choice(raw.retired, RETIRED, RETIRED_VALUES, Reasons.retired)
    if extra:
        check.refuse(ROW, Reasons.extra_cells)
    if check.problems or name is None or number is None or category is None:
        return [Rejection(line, column, reason) for column, reason in check.problems]
    sex = number.sex.value if number.sex is not None else None
    return LegacyRow(
        line, credit_code, name, number.document_type.value, number.number, sex, number.birth_date, category,
        title_level, title_name, major, education, school, bool(retired),
    )  # fmt: skip
