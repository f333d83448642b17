"""Rows of legacy_persons in PostgreSQL's binary COPY format, made by the workers that seal them.

The loader streams these bytes into ``COPY legacy_persons (COLUMNS) FROM STDIN (FORMAT binary)``
as they come: the rows never become Python objects in the loading process, which then only skips
duplicates. (asyncpg's ``copy_records_to_table`` would need every record pickled back from the
worker, unpickled and encoded again there: measured, 52 CPU-seconds for a load of 1,000,000
rows against 46.)
Format: the signature, flags and extension length; per row the field count, then each field's
length (-1: NULL) and bytes in network order; ``-1`` to end.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from .columns import CATEGORIES, EDUCATIONS, ID_TYPES, TITLE_LEVELS
from .rows import LegacyRow

__all__ = ["COLUMNS", "HEADER", "TRAILER", "legacy_person"]

COLUMNS = (
    "id",
    "load_id",
    "line",
    "credit_code",
    "name",
    "id_type",
    "id_number_enc",
    "id_number_hash",
    "id_number_masked",
    "gender",
    "birth_date",
    "category",
    "title_level",
    "title_name",
    "major",
    "education",
    "school",
    "retired",
)
"""The columns each row fills, in its order."""
HEADER = b"PGCOPY\n\xff\r\n\x00" + bytes(4) + bytes(4)
TRAILER = (-1).to_bytes(2, signed=True)

_FIELDS = len(COLUMNS).to_bytes(2)
_NULL = (-1).to_bytes(4, signed=True)
_UUID = (16).to_bytes(4)
_FOUR = (4).to_bytes(4)
_CODE = (18).to_bytes(4)
_HASH = (32).to_bytes(4)
_TRUE, _FALSE = (1).to_bytes(4) + b"\x01", (1).to_bytes(4) + b"\x00"
_POSTGRES_EPOCH = dt.date(2000, 1, 1).toordinal()


def legacy_person(
    row_id: bytes, load_id: bytes, row: LegacyRow, *, sealed: bytes, identity: bytes, masked: str
) -> bytes:
    """One row: ``row`` with its ids, its sealed number, keyed hash and masked number."""
    return _FIELDS + b"".join(
        (
            _UUID + row_id,
            _UUID + load_id,
            _FOUR + row.line.to_bytes(4),
            _CODE + row.credit_code.encode(),
            _text(row.name),
            _LABEL[row.id_type],
            _binary(sealed),
            _HASH + identity,
            _text(masked),
            _LABEL[row.gender],
            _date(row.birth_date),
            _LABEL[row.category],
            _LABEL[row.title_level],
            _text(row.title_name),
            _text(row.major),
            _LABEL[row.education],
            _text(row.school),
            _TRUE if row.retired else _FALSE,
        )
    )


def _binary(value: bytes) -> bytes:
    return len(value).to_bytes(4) + value


def _text(value: str | None) -> bytes:
    return _NULL if value is None else _binary(value.encode())


def _date(value: dt.date | None) -> bytes:
    return _NULL if value is None else _FOUR + (value.toordinal() - _POSTGRES_EPOCH).to_bytes(4, signed=True)


_LABELS = (*ID_TYPES, *CATEGORIES.values(), *TITLE_LEVELS, *EDUCATIONS, "男", "女")
_LABEL: Mapping[str | None, bytes] = {None: _NULL} | {label: _text(label) for label in _LABELS}
"""The fields of the few values 证件类型, 人员类别, 职称等级, 学历 and 性别 take, encoded once."""
