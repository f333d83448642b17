"""SnapshotController: POST /snapshots (the applications service freezes a roster on 提交),
POST /snapshots/receipts (the same, answering only the receipt) and GET /snapshots/{id} (the
owning unit masked, the covering authority in full, services masked)."""

from __future__ import annotations

from litestar import Controller, MediaType, Response, get, post
from litestar.di import NamedDependency
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import FromPath, JSONBody

from contracts.auth import Caller
from contracts.staffing import api
from services.kernel import UnitOfWork, service_only
from services.kernel.openapi import refusals

from .. import errors
from ..handlers import snapshots
from ..protection import Protector


class SnapshotController(Controller):
    path = "/snapshots"
    tags = ("snapshots",)

    @post(
        "/",
        operation_id="TakeSnapshot",
        guards=[service_only],
        status_code=201,
        media_type=MediaType.JSON,
        responses={
            200: ResponseSpec(data_container=api.Snapshot, description="The same snapshot, taken by the same request"),
            **refusals(errors.SnapshotMismatchError),
        },
    )
    async def take(
        self,
        data: JSONBody[api.SnapshotRequest],
        uow: NamedDependency[UnitOfWork],
        protector: NamedDependency[Protector],
    ) -> Response[api.Snapshot]:
        made, created = await snapshots.take_snapshot(data, uow=uow, protector=protector)
        return Response(made, status_code=201 if created else 200)

    @post(
        "/receipts",
        operation_id="TakeSnapshotReceipt",
        guards=[service_only],
        status_code=201,
        media_type=MediaType.JSON,
        responses={
            200: ResponseSpec(data_container=api.SnapshotReceipt, description="The snapshot taken by the same request"),
            **refusals(errors.SnapshotMismatchError),
        },
    )
    async def take_receipt(
        self,
        data: JSONBody[api.SnapshotRequest],
        uow: NamedDependency[UnitOfWork],
        protector: NamedDependency[Protector],
    ) -> Response[api.SnapshotReceipt]:
        made, created = await snapshots.take_snapshot_receipt(data, uow=uow, protector=protector)
        return Response(made, status_code=201 if created else 200)

    @get("/{snapshot_id:str}", operation_id="GetSnapshot", responses=refusals(errors.SnapshotNotFoundError))
    async def read(
        self,
        snapshot_id: FromPath[str],
        caller: NamedDependency[Caller],
        uow: NamedDependency[UnitOfWork],
        protector: NamedDependency[Protector],
    ) -> api.Snapshot:
        return await snapshots.get_snapshot(snapshot_id, caller, uow=uow, protector=protector)
