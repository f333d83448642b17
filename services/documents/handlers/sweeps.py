"""The sweepers (kernel jobs, one replica at a time): objects of uploads that never committed, and
the bytes of documents deleted longer ago than the retention."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

from services.kernel import UnitOfWork

from .. import repository
from ..storage import Store

__all__ = ["purge_deleted", "sweep_orphans"]

logger = logging.getLogger(__name__)
_PURGE_BATCH = 200
_ORPHAN_BATCH = 500


async def sweep_orphans(uow: UnitOfWork, *, store: Store, older_than: timedelta) -> int:
    """Delete the objects of uploads that never committed (a crash or a lost connection between
    the object's write and its row's commit) once ``older_than`` has passed, and the store's
    stale temporaries; how many objects were deleted. Objects this database has no record of are
    never touched."""
    removed = 0
    while True:
        async with uow.reading() as conn:
            due = await repository.PendingObjects(conn).due(older_than.total_seconds(), limit=_ORPHAN_BATCH)
            stored = await repository.Documents(conn).known(due) if due else set()
        if not due:
            break
        for key in due:
            if key not in stored:  # never so: a document's commit clears its record
                await store.delete(str(key))
        async with uow.reading() as conn:
            await repository.PendingObjects(conn).drop(due)
        removed += len(due) - len(stored)
    await store.remove_stale_temporaries(datetime.now(UTC) - older_than)
    if removed:
        logger.info("deleted %d objects of uploads that never committed", removed)
    return removed


async def purge_deleted(uow: UnitOfWork, *, store: Store, retention_days: int) -> int:
    """Delete the bytes of documents deleted more than ``retention_days`` ago (their rows stay,
    marked purged); how many were purged."""
    purged = 0
    while True:
        async with uow.reading() as conn:
            due = await repository.Documents(conn).purgeable(retention_days, limit=_PURGE_BATCH)
        if not due:
            break
        for document_id in due:
            await store.delete(str(document_id))
        async with uow:
            await repository.Documents(uow.conn).mark_purged(due)
            await uow.commit()
        purged += len(due)
    if purged:
        logger.info("purged the bytes of %d deleted documents", purged)
    return purged
