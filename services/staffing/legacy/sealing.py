"""A piece of the export read, sealed and encoded into rows ready to COPY: the work one process does.

Runs in a worker process as well as in the loader's own: what it takes and returns pickles
cheaply (text and bytes), and it imports only the rules and the Protector, so a fresh worker
starts in a fraction of a second. The plain 证件号码 never leaves it.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

from ..protection import Protector
from ..rules import mask_id_number
from .copy_rows import legacy_person
from .ids import ordered_ids
from .rows import Header, Piece, Rejection, RowRules, read_piece

__all__ = ["Job", "Keys", "Sealed", "seal_piece"]


@dataclass(frozen=True, slots=True)
class Keys:
    """STAFFING_DATA_KEY and STAFFING_HASH_KEY, passed to the workers (they build their Protector)."""

    data_key: str
    hash_key: str


@dataclass(frozen=True, slots=True)
class Job:
    """Piece number ``number`` of the export of load ``load_id`` (16 bytes; ``id_base``: its ids')."""

    piece: Piece
    number: int
    header: Header
    rules: RowRules
    keys: Keys
    load_id: bytes
    id_base: int


@dataclass(slots=True)
class Sealed:
    """A piece's accepted rows (binary COPY rows), each one's line and identity (its 统一社会信用代码
    then its keyed hash), the rejections, and how many rows the piece held."""

    rows: list[bytes] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)
    identities: list[bytes] = field(default_factory=list)
    rejections: list[Rejection] = field(default_factory=list)
    count: int = 0


@functools.lru_cache(maxsize=4)
def _protector(keys: Keys) -> Protector:
    return Protector(keys.data_key, keys.hash_key)


def seal_piece(job: Job) -> Sealed:
    """Read the piece, then seal each accepted number (AES-GCM), hash it (the keyed identity), mask
    it, and encode the row."""
    protector = _protector(job.keys)
    parsed = read_piece(job.piece, job.header, job.rules)
    sealed = Sealed(rejections=parsed.rejections, count=parsed.count)
    for row, row_id in zip(parsed.rows, ordered_ids(job.id_base, job.number, len(parsed.rows)), strict=True):
        number = row.id_number
        identity = protector.identity(row.id_type, number)
        sealed.rows.append(
            legacy_person(
                row_id,
                job.load_id,
                row,
                sealed=protector.seal_text(number),
                identity=identity,
                masked=mask_id_number(number),
            )
        )
        sealed.lines.append(row.line)
        sealed.identities.append(row.credit_code.encode() + identity)
    return sealed
