"""老人老办法 use cases (manual 5.5.1): an administrator loads the old system's staff export and
reads the rejected rows' report; a unit lists its legacy staff (‘老人老办法’技术人员查询).

The transfer of ticked persons (人员基本信息转移) is legacy_transfer.py's.
"""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import dataclass

from contracts.auth import Caller
from contracts.staffing import api
from services.kernel import UnitOfWork

from .. import clock, errors
from ..legacy.load import LoadOutcome, load_export
from ..legacy.parse import read_export
from ..legacy.sealing import Keys
from ..repository.legacy import LegacyLoads, LegacyStaff
from ..settings import StaffingSettings
from .entries import parse_id
from .persons import unit_of

__all__ = [
    "LegacyUpload",
    "legacy_report",
    "list_legacy_persons",
    "load_legacy_export",
    "may_load_legacy",
    "report_url",
]

NATIONAL = "000000"
"""自然资源部's jurisdiction: its authority staff may load the export, as the administrator may."""


@dataclass(frozen=True, slots=True)
class LegacyUpload:
    """The uploaded export: the name it had on the administrator's computer, and its bytes."""

    filename: str
    data: bytes | bytearray


def may_load_legacy(caller: Caller) -> bool:
    """The administrator, or authority staff of 自然资源部 (a province's may not load the country's)."""
    return caller.role == "admin" or (caller.role == "authority" and caller.jurisdiction == NATIONAL)


def report_url(load_id: uuid.UUID) -> str:
    return f"/legacy/loads/{load_id}/report"


async def load_legacy_export(
    upload: LegacyUpload, caller: Caller, uow: UnitOfWork, *, settings: StaffingSettings
) -> api.LegacyLoad:
    """Load the export: its accepted rows and the load with its report commit together."""
    export = await asyncio.to_thread(read_export, upload.data)
    keys = Keys(settings.staffing_data_key, settings.staffing_hash_key)
    async with uow:
        outcome = await load_export(
            export, conn=uow.conn, filename=upload.filename, loaded_by=caller.account_id, keys=keys, on=clock.today()
        )
        await uow.commit()
    return as_api(outcome)


def as_api(outcome: LoadOutcome) -> api.LegacyLoad:
    return api.LegacyLoad(
        id=str(outcome.id),
        filename=outcome.filename,
        rows=outcome.rows,
        accepted=outcome.accepted,
        rejected=outcome.rejected,
        created_at=outcome.created_at,
        report_url=report_url(outcome.id),
    )


async def legacy_report(load_id: str, caller: Caller, uow: UnitOfWork) -> bytes:
    """The rejected rows' report (CSV), for whoever loaded the export and for the administrator."""
    wanted = parse_id(load_id, errors.LegacyLoadNotFoundError)
    async with uow.reading() as conn:
        found = await LegacyLoads(conn).report(wanted)
    if found is None or (caller.role != "admin" and found.loaded_by != caller.account_id):
        raise errors.LegacyLoadNotFoundError()
    return found.report


async def list_legacy_persons(caller: Caller, uow: UnitOfWork, *, page: int, page_size: int) -> api.LegacyPersonPage:
    """The caller unit's legacy staff by name, masked numbers, each marked once transferred."""
    unit_id = unit_of(caller)
    async with uow.reading() as conn:
        items, total = await LegacyStaff(conn).page(unit_id, page=page, page_size=page_size)
    return api.LegacyPersonPage(items=items, page=page, page_size=page_size, total=total)
