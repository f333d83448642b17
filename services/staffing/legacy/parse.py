"""Reading the old system's staff export (老人老办法, manual 5.5.1): its bytes decoded, its header
mapped to the columns, its body cut into pieces of whole rows that can be read apart (rows.py
reads each). Pure: bytes and text in, values out.

The encoding is UTF-8 (with or without the BOM Excel writes), else GB 18030 (what Excel saves on
a Chinese Windows). Lines end in LF or CRLF; a quoted cell may hold a line break. Line numbers
are those of the file (the header's line is 1 when it is the first), so the administrator finds
a rejected row where the report says.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from ..errors import InvalidLegacyFileError, id_number_message
from ..rules import DocumentType, IdProblem
from .columns import COLUMNS, REQUIRED, Reasons
from .rows import Header, Parsed, Piece, RowRules, read_piece

__all__ = ["PIECE_CHARS", "Export", "decode", "parse", "pieces", "read_export", "row_rules"]

PIECE_CHARS = 1 << 20
"""About 8,000 rows: the text one worker reads at a time."""


@dataclass(frozen=True, slots=True)
class Export:
    """A decoded export: its header, and its body (everything after the header line)."""

    header: Header
    body: Piece


def decode(data: bytes | bytearray) -> str:
    """The text of the export: UTF-8 (BOM dropped) if it is valid UTF-8, else GB 18030."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise InvalidLegacyFileError("文件编码无法识别，请另存为UTF-8或GB18030（GBK）编码的CSV文件")


def read_export(data: bytes | bytearray) -> Export:
    """The export's header (the first line that is not blank) and body; refuses a file that is
    not text, has no header or lacks a required column."""
    text = decode(data)
    lines_before, start = 0, 0
    while start < len(text):
        end = _line_end(text, start)
        cells = next(csv.reader([text[start:end]]), [])
        if "".join(cells).strip():
            return Export(header=_header(cells), body=Piece(text[end:], first_line=lines_before + 2))
        lines_before, start = lines_before + 1, end
    raise InvalidLegacyFileError("文件是空的，没有表头")


def _header(cells: list[str]) -> Header:
    names = [cell.strip().strip("*").strip() for cell in cells]
    repeated = [name for name in COLUMNS if names.count(name) > 1]
    if repeated:
        raise InvalidLegacyFileError(Reasons.repeated_columns(repeated))
    missing = [name for name in REQUIRED if name not in names]
    if missing:
        raise InvalidLegacyFileError(Reasons.missing_columns(missing))
    positions = tuple(names.index(name) if name in names else -1 for name in COLUMNS)
    return Header(positions=positions, width=len(cells))


def row_rules(on: dt.date) -> RowRules:
    """The rules rows are read by on the day ``on``, with the service's words for every number
    problem of every 证件类型."""
    messages = {(kind, problem): id_number_message(kind, problem) for kind in DocumentType for problem in IdProblem}
    return RowRules(on=on, id_messages=messages)


def pieces(body: Piece, size: int = PIECE_CHARS) -> Iterator[Piece]:
    """``body`` cut into runs of whole rows of about ``size`` characters each."""
    text, start, line = body.text, 0, body.first_line
    while start < len(text):
        end = _piece_end(text, start, size)
        piece = Piece(text[start:end], first_line=line)
        yield piece
        line += piece.text.count("\n")
        start = end


def parse(data: bytes | bytearray, *, on: dt.date) -> Parsed:
    """The whole export read in this process (small files, tests): every row, in file order."""
    export = read_export(data)
    rules, parsed = row_rules(on), Parsed()
    for piece in pieces(export.body):
        part = read_piece(piece, export.header, rules)
        parsed.rows += part.rows
        parsed.rejections += part.rejections
        parsed.count += part.count
    return parsed


def _piece_end(text: str, start: int, size: int) -> int:
    """The end of the line that reaches ``start + size``, or of a later line while a quoted cell
    is still open there (an odd number of quotes since ``start``: a quote inside a cell is doubled)."""
    end = _line_end(text, start + size)
    quotes = text.count('"', start, end)
    while quotes % 2 and end < len(text):
        later = _line_end(text, end)
        quotes += text.count('"', end, later)
        end = later
    return end


def _line_end(text: str, at: int) -> int:
    cut = text.find("\n", at)
    return len(text) if cut < 0 else cut + 1
