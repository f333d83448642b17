"""The rows a legacy load writes, built in Python for the COPYs: each accepted old-regime
certificate (旧证) with its first version (发证) and its CertificateIssued(regime="legacy") event,
and the 2021 counters' floors (a loaded ``甲/乙测资字`` + 8 digits number is never issued again)."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import msgspec

from contracts.base import utcnow
from contracts.registry.events import CertificateIssued, CertifiedCategory
from contracts.subjects import subject_for

from .parse import LegacyRow

__all__ = ["LegacyBatch", "batch_of"]

_SUBJECT = subject_for(CertificateIssued)
_encoder = msgspec.json.Encoder()
_NEW_FORM = re.compile(r"^([甲乙]测资字)([0-9]{2})([0-9]{6})$")


@dataclass
class LegacyBatch:
    """COPY rows in the repository's column order (CERTIFICATE_, VERSION_, EVENT_COLUMNS).

    The certificate rows are built as the first COPY reads them (``certificates()``): building a
    row overlaps PostgreSQL's work on the rows already sent, instead of adding to it (the load's
    two largest phases). Each certificate built adds its version, its event and its counter floor,
    so ``versions``, ``events`` and ``floors`` are complete once that iterator is exhausted.
    """

    rows: Sequence[LegacyRow]
    today: dt.date
    owners: Mapping[str, str] = field(default_factory=dict)
    """Credit code → the id of its unit, verified already (the certificate is linked at once)."""
    versions: list[tuple[Any, ...]] = field(default_factory=list)
    events: list[tuple[Any, ...]] = field(default_factory=list)
    floors: dict[tuple[str, str], int] = field(default_factory=dict)

    def certificates(self) -> Iterator[tuple[Any, ...]]:
        """Each row's certificate (one event time for all), recording the rest as it goes."""
        occurred_at = utcnow()
        for row in self.rows:
            yield self._add(row, occurred_at)

    def _add(self, row: LegacyRow, occurred_at: dt.datetime) -> tuple[Any, ...]:
        certificate_id, level = uuid.uuid4(), f"{row.level}级"
        categories = [CertifiedCategory(category=name, level=level) for name in row.categories]
        certificate_type = f"{level}资质证书"
        particulars = {
            "unit_name": row.unit_name,
            "registered_address": "",
            "legal_representative": "",
            "authority_name": row.authority_name,
        }
        self.versions.append((certificate_id, 1, "发证", categories, particulars, row.issued_on, False))
        unit_id = self.owners.get(row.credit_code)
        event = _issued(row, certificate_id, certificate_type, level, categories, occurred_at, unit_id)
        self.events.append((event.event_id, row.number, _SUBJECT, _encoder.encode(event)))
        _raise_floor(self.floors, row.number)
        status = "已过期" if row.valid_until < self.today else "有效"
        return _certificate_row(row, certificate_id, certificate_type, level, categories, status, unit_id)


def batch_of(rows: Sequence[LegacyRow], *, today: dt.date, owners: Mapping[str, str]) -> LegacyBatch:
    """The rows to write for ``rows`` (none of them in the register yet), built lazily; a row whose
    credit code is in ``owners`` belongs to that unit."""
    return LegacyBatch(rows=rows, today=today, owners=owners)


def _certificate_row(
    row: LegacyRow,
    certificate_id: uuid.UUID,
    certificate_type: str,
    level: str,
    categories: list[CertifiedCategory],
    status: str,
    unit_id: str | None,
) -> tuple[Any, ...]:
    return (
        certificate_id,
        row.number,
        certificate_type,
        level,
        "legacy",
        unit_id,
        row.credit_code,
        row.unit_name,
        row.jurisdiction,
        row.authority_name,
        categories,
        row.issued_on,
        row.valid_until,
        status,
    )


def _issued(
    row: LegacyRow,
    certificate_id: uuid.UUID,
    certificate_type: str,
    level: str,
    categories: list[CertifiedCategory],
    occurred_at: dt.datetime,
    unit_id: str | None,
) -> CertificateIssued:
    return CertificateIssued(
        aggregate_id=row.number,
        occurred_at=occurred_at,
        certificate_id=str(certificate_id),
        number=row.number,
        unit_id=unit_id,
        credit_code=row.credit_code,
        certificate_type=certificate_type,
        level=level,
        regime="legacy",
        categories=categories,
        issuing_jurisdiction=row.jurisdiction,
        issued_on=row.issued_on,
        valid_until=row.valid_until,
    )


def _raise_floor(floors: dict[tuple[str, str], int], number: str) -> None:
    match = _NEW_FORM.match(number)
    if match is not None:
        key = (match[1], match[2])
        floors[key] = max(floors.get(key, 1), int(match[3]) + 1)
