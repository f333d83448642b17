"""Loading the old system's staff export into legacy_persons (老人老办法, manual 5.5.1).

The body is cut into pieces of whole rows; worker processes read, seal and encode them
(sealing.py) while this process streams the rows into one binary COPY, skipping duplicates. A
small export is read in a thread of this process instead (starting processes would cost more
than the work). The rows and the legacy_loads row with its report commit together in the
caller's transaction.

Loading the same export again adds nothing twice: a row whose (统一社会信用代码, 证件号码) is
already in legacy_persons, or earlier in the same file, is skipped and reported as a duplicate.
Loads take a transaction lock, so two at once run one after the other.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import gc
import multiprocessing
import os
import uuid
from collections import deque
from collections.abc import AsyncIterator, Iterable, Iterator
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass

from services.kernel.db import Connection

from ..repository.legacy import LegacyLoads, LegacyRecords
from .columns import ID_NUMBER, Reasons
from .copy_rows import COLUMNS, HEADER, TRAILER
from .ids import id_base
from .parse import PIECE_CHARS, Export, pieces, row_rules
from .report import report_csv
from .rows import Rejection
from .sealing import Job, Keys, Sealed, seal_piece

__all__ = ["LoadOutcome", "load_export"]

IN_PROCESS_CHARS = 4 * PIECE_CHARS
"""Below this (about 30,000 rows) the export is read in a thread of this process."""


@dataclass(frozen=True, slots=True)
class LoadOutcome:
    """A load as recorded: rows read, accepted, rejected (of which duplicates), its report."""

    id: uuid.UUID
    filename: str
    rows: int
    accepted: int
    rejected: int
    duplicates: int
    report: bytes
    created_at: dt.datetime


class _Tally:
    """The rows read so far: the first line of each identity (统一社会信用代码 and keyed hash; 0 for
    one loaded before), the rejections, and the counts."""

    def __init__(self, loaded: Iterable[bytes]) -> None:
        self.first_line = dict.fromkeys(loaded, 0)
        self.rejections: list[Rejection] = []
        self.rows = 0
        self.duplicates = 0

    def fresh(self, sealed: Sealed) -> bytes:
        """The piece's rows not seen before; the others reported as duplicates."""
        self.rows += sealed.count
        self.rejections += sealed.rejections
        kept = []
        for line, identity, row in zip(sealed.lines, sealed.identities, sealed.rows, strict=True):
            first = self.first_line.setdefault(identity, line)
            if first == line:
                kept.append(row)
            else:
                self.duplicates += 1
                reason = Reasons.repeated(first) if first else Reasons.earlier_load
                self.rejections.append(Rejection(line, ID_NUMBER, reason))
        return b"".join(kept)


async def load_export(
    export: Export, *, conn: Connection, filename: str, loaded_by: str, keys: Keys, on: dt.date
) -> LoadOutcome:
    """Load ``export`` on ``conn``, inside the caller's transaction (it commits or rolls back)."""
    load_id = uuid.uuid4()
    records = LegacyRecords(conn)
    await records.lock()
    tally = _Tally(await records.identities())
    rules, base = row_rules(on), id_base()
    jobs = (
        Job(piece, number, export.header, rules, keys, load_id.bytes, base)
        for number, piece in enumerate(pieces(export.body, PIECE_CHARS))
    )
    workers = 0 if len(export.body.text) < IN_PROCESS_CHARS else os.cpu_count() or 1
    with _executor(workers) as executor:
        sealed = _sealed(jobs, executor, ahead=2 * max(workers, 1))
        accepted = await records.copy(_copy_data(sealed, tally), columns=COLUMNS)
    report = report_csv(sorted(tally.rejections, key=lambda rejection: rejection.line))
    counts = (tally.rows, accepted, tally.rows - accepted)
    created_at = await LegacyLoads(conn).add(
        load_id, filename=filename, loaded_by=loaded_by, counts=counts, report=report
    )
    return LoadOutcome(load_id, filename, *counts, tally.duplicates, report, created_at)


@contextlib.contextmanager
def _executor(workers: int) -> Iterator[Executor]:
    """``workers`` processes, or for none one thread of this process.

    The processes are forks of multiprocessing's fork server, a fresh interpreter that imported
    sealing.py only: never a fork of a threaded server. (multiprocessing still re-runs
    ``__main__`` in each, which is why the command's ``__main__`` imports lazily.) Their garbage
    collector is off: sealing makes no reference cycles, and collecting would only rescan the
    piece's rows again and again."""
    if workers:
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload([seal_piece.__module__])
        pool: Executor = ProcessPoolExecutor(workers, mp_context=context, initializer=gc.disable)
    else:
        pool = ThreadPoolExecutor(1)
    try:
        yield pool
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


async def _sealed(jobs: Iterable[Job], executor: Executor, *, ahead: int) -> AsyncIterator[Sealed]:
    """Each job's result in the file's order, with up to ``ahead`` more submitted meanwhile."""
    pending: deque[asyncio.Future[Sealed]] = deque()
    for job in jobs:
        pending.append(asyncio.wrap_future(executor.submit(seal_piece, job)))
        if len(pending) > ahead:
            yield await pending.popleft()
    while pending:
        yield await pending.popleft()


async def _copy_data(sealed: AsyncIterator[Sealed], tally: _Tally) -> AsyncIterator[bytes]:
    """The COPY's bytes: the header, each piece's fresh rows, the trailer."""
    yield HEADER
    async for piece in sealed:
        yield tally.fresh(piece)
    yield TRAILER
