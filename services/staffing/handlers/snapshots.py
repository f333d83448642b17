"""人员装备快照: freeze a unit's roster for an application revision (the applications service, on
提交), read it back (the owner and services masked, a covering authority in full), and make the
approved one the unit's official roster (``ApplicationApproved``)."""

from __future__ import annotations

import logging
import uuid

import msgspec

from contracts.applications.events import ApplicationApproved
from contracts.auth import Caller
from contracts.staffing import api
from contracts.staffing.events import RosterMadeOfficial, RosterSnapshotted
from services.kernel import UnitOfWork, is_service, may_act_in

from .. import errors
from ..clock import today
from ..model import snapshot
from ..protection import SNAPSHOT, Protector
from ..repository.roster import RosterReads
from ..repository.snapshots import Snapshots, StoredSnapshot
from .entries import uuid_of

__all__ = ["get_snapshot", "make_roster_official", "take_snapshot", "take_snapshot_receipt"]

logger = logging.getLogger(__name__)
_encoder = msgspec.json.Encoder()
_decoder = msgspec.json.Decoder(snapshot.SnapshotContent)


async def take_snapshot(
    request: api.SnapshotRequest, *, uow: UnitOfWork, protector: Protector
) -> tuple[api.Snapshot, bool]:
    """The snapshot of (application, revision) and whether this call made it; a repeat for the
    same unit and jurisdiction answers the first one, anything else is refused."""
    stored, created = await _take(request, uow=uow, protector=protector)
    return _view(stored, protector, full=False), created


async def take_snapshot_receipt(
    request: api.SnapshotRequest, *, uow: UnitOfWork, protector: Protector
) -> tuple[api.SnapshotReceipt, bool]:
    """As ``take_snapshot``, answering only the receipt (its content is neither opened nor sent)."""
    stored, created = await _take(request, uow=uow, protector=protector)
    receipt = api.SnapshotReceipt(
        id=str(stored.id),
        unit_id=stored.unit_id,
        application_id=stored.application_id,
        revision=stored.revision,
        jurisdiction=stored.jurisdiction,
        taken_on=stored.taken_on,
    )
    return receipt, created


async def _take(request: api.SnapshotRequest, *, uow: UnitOfWork, protector: Protector) -> tuple[StoredSnapshot, bool]:
    async with uow:
        stored = await Snapshots(uow.conn).of_revision(request.application_id, request.revision)
        created = stored is None
        if stored is None:
            stored, created = await _freeze(request, uow=uow, protector=protector)
        if (stored.unit_id, stored.jurisdiction) != (request.unit_id, request.jurisdiction):
            raise errors.SnapshotMismatchError()
        await uow.commit()
    return stored, created


async def get_snapshot(snapshot_id: str, caller: Caller, *, uow: UnitOfWork, protector: Protector) -> api.Snapshot:
    """The owning unit and services read it masked; an authority covering its jurisdiction in full;
    anyone else is told it does not exist."""
    wanted = uuid_of(snapshot_id)
    stored = None
    if wanted is not None:
        async with uow.reading() as conn:
            stored = await Snapshots(conn).get(wanted)
    if stored is None:
        raise errors.SnapshotNotFoundError()
    full = may_act_in(caller, stored.jurisdiction)
    owner = caller.role == "unit" and caller.unit_id == stored.unit_id
    if not (full or owner or is_service(caller)):
        raise errors.SnapshotNotFoundError()
    return _view(stored, protector, full=full)


async def make_roster_official(event: ApplicationApproved, uow: UnitOfWork) -> None:
    """批准: the approved application's snapshot becomes the unit's official roster, once. An
    approval without a snapshot, or naming one staffing does not have for that unit, changes
    nothing (logged, not retried)."""
    wanted = uuid_of(event.snapshot_id) if event.snapshot_id else None
    if wanted is None:
        logger.info("approval of %s names no snapshot: no official roster", event.application_id)
        return
    async with uow:
        snapshots = Snapshots(uow.conn)
        found = await snapshots.get(wanted)
        if found is None or found.unit_id != event.unit_id:
            logger.warning(
                "approval of %s names snapshot %s, unknown for unit %s", event.application_id, wanted, event.unit_id
            )
            return
        made = await snapshots.make_official(wanted)
        if made is not None:
            uow.emit(
                RosterMadeOfficial(
                    aggregate_id=made.unit_id,
                    unit_id=made.unit_id,
                    snapshot_id=str(made.id),
                    application_id=made.application_id,
                )
            )
        await uow.commit()


async def _freeze(
    request: api.SnapshotRequest, *, uow: UnitOfWork, protector: Protector
) -> tuple[StoredSnapshot, bool]:
    taken_on = today()
    records = await RosterReads(uow.conn).records(request.unit_id, on=taken_on)
    content = snapshot.freeze(records, on=taken_on, reveal=protector.open_text)
    snapshots = Snapshots(uow.conn)
    made = await snapshots.add(
        uuid.uuid4(),
        unit_id=request.unit_id,
        application_id=request.application_id,
        revision=request.revision,
        jurisdiction=request.jurisdiction,
        taken_on=taken_on,
        content=protector.seal(_encoder.encode(content), SNAPSHOT),
    )
    if made is None:  # frozen by a concurrent request, committed meanwhile
        before = await snapshots.of_revision(request.application_id, request.revision)
        assert before is not None
        return before, False
    uow.emit(_snapshotted(made, content))
    return made, True


def _snapshotted(made: StoredSnapshot, content: snapshot.SnapshotContent) -> RosterSnapshotted:
    return RosterSnapshotted(
        aggregate_id=str(made.id),
        unit_id=made.unit_id,
        snapshot_id=str(made.id),
        application_id=made.application_id,
        revision=made.revision,
        jurisdiction=made.jurisdiction,
        persons=len(content.persons),
        equipment=len(content.equipment),
        projects=len(content.projects),
    )


def _view(stored: StoredSnapshot, protector: Protector, *, full: bool) -> api.Snapshot:
    content = _decoder.decode(protector.open(stored.content, SNAPSHOT))
    if not full:
        content = snapshot.masked(content)
    return api.Snapshot(
        id=str(stored.id),
        unit_id=stored.unit_id,
        application_id=stored.application_id,
        revision=stored.revision,
        jurisdiction=stored.jurisdiction,
        taken_on=stored.taken_on,
        created_at=stored.created_at,
        official=stored.official_at is not None,
        persons=content.persons,
        equipment=content.equipment,
        projects=content.projects,
        document_ids=content.document_ids,
        facts=content.facts,
    )
