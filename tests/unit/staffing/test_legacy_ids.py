"""The ids a legacy load gives its rows: UUID version 7, increasing in the order of the file."""

from __future__ import annotations

import uuid

import pytest

from services.staffing.legacy.ids import PIECE_BITS, id_base, ordered_ids


def test_ids_are_version_7_and_increase_across_pieces_and_loads() -> None:
    first, second = id_base(now_ms=1_700_000_000_000), id_base(now_ms=1_700_000_000_001)
    raw = [*ordered_ids(first, 0, 3), *ordered_ids(first, 1, 2), *ordered_ids(first, 1 << 10, 2)]
    raw += ordered_ids(second, 0, 2)
    ids = [uuid.UUID(bytes=value) for value in raw]
    assert {(value.version, value.variant) for value in ids} == {(7, uuid.RFC_4122)}
    assert ids == sorted(ids)
    assert len(set(ids)) == len(ids) == 9
    assert ids[0].int >> 80 == 1_700_000_000_000  # the load's start, in Unix milliseconds
    assert (ids[5].int >> 64) & 0xFFF == 1  # piece 2**10: its counter's high bits are in rand_a


def test_a_piece_cannot_number_more_rows_than_its_bits_hold() -> None:
    with pytest.raises(OverflowError):
        ordered_ids(id_base(), 0, (1 << PIECE_BITS) + 1)
