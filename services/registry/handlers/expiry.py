"""The daily job: certificates whose validity has ended become 已过期 (CertificateExpired)."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable

from contracts.registry.events import CertificateExpired
from services.kernel import UnitOfWork

from ..repository.certificates import Certificates

__all__ = ["expire_certificates"]

logger = logging.getLogger(__name__)
_BATCH = 1000


async def expire_certificates(uow: UnitOfWork, *, today: Callable[[], dt.date]) -> int:
    """Mark every valid certificate past its 有效期至 as 已过期, a batch per transaction; how many."""
    day, total = today(), 0
    while True:
        async with uow:
            rows = await Certificates(uow.conn).expire(day, limit=_BATCH)
            for row in rows:
                uow.emit(
                    CertificateExpired(
                        aggregate_id=row["number"],
                        certificate_id=str(row["id"]),
                        number=row["number"],
                        unit_id=row["unit_id"],
                        credit_code=row["credit_code"],
                        certificate_type=row["certificate_type"],
                        expired_on=day,
                    )
                )
            await uow.commit()
        total += len(rows)
        if len(rows) < _BATCH:
            break
    if total:
        logger.info("%d certificates expired on %s", total, day)
    return total
