"""The legacy load: accepted rows not yet in the register COPY-loaded in one transaction, with one
CertificateIssued(regime="legacy") each in the outbox, each linked to its unit when identity has
verified a unit of its credit code already (they flow once the relay of a running
registry picks them up); rejected rows reported (CSV with BOM: 行号,列,原因)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass

import asyncpg

from services.kernel.db import Connection

from ..repository.legacy import LegacyCertificates
from .parse import LegacyExport, Rejection
from .rows import batch_of

__all__ = ["LoadOutcome", "load_export", "report_of"]

ALREADY_REGISTERED = "证书编号已在登记中"
ATTEMPTS = 3
"""A certificate issued with one of the file's numbers between the check and the COPY (a 2021-form
number, a rare race) fails the COPY: the load is tried again, and that row is then rejected."""


@dataclass(frozen=True)
class LoadOutcome:
    read: int
    loaded: int
    rejected: list[Rejection]


async def load_export(export: LegacyExport, *, conn: Connection, today: dt.date) -> LoadOutcome:
    """Load the accepted rows inside the caller's transaction; a row whose number is already in the
    register is rejected too (a load run twice adds nothing)."""
    certificates = LegacyCertificates(conn)
    await certificates.lock()
    owners = await certificates.owners(row.credit_code for row in export.rows)
    for attempt in range(1, ATTEMPTS + 1):
        try:
            async with conn.transaction():  # a savepoint: a failed COPY leaves nothing behind
                known = await certificates.existing([row.number for row in export.rows])
                batch = batch_of([row for row in export.rows if row.number not in known], today=today, owners=owners)
                await certificates.copy(batch.certificates(), batch.versions, batch.events)
                await certificates.move_counters(batch.floors)
            break
        except asyncpg.UniqueViolationError:
            if attempt == ATTEMPTS:
                raise
    duplicates = [Rejection(r.line, "证书编号", ALREADY_REGISTERED) for r in export.rows if r.number in known]
    rejected = sorted([*export.rejected, *duplicates], key=lambda rejection: rejection.line)
    return LoadOutcome(read=export.read, loaded=len(batch.versions), rejected=rejected)


def report_of(rejected: list[Rejection]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["行号", "列", "原因"])
    writer.writerows([rejection.line, rejection.column, rejection.reason] for rejection in rejected)
    return "\ufeff".encode() + out.getvalue().encode()
