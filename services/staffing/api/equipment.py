"""EquipmentController: a unit's 技术装备 — 添加, the list, one instrument for the edit form, 编辑, 删除."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, delete, get, post, put
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, JSONBody, QueryParameter

from contracts.auth import Caller
from contracts.staffing import api
from services.kernel import ServiceClient, UnitOfWork, UpstreamError, unit_scope
from services.kernel.openapi import refusals

from .. import errors
from ..handlers import equipment
from ..handlers.vocabulary import Vocabulary

__all__ = ["EquipmentController"]

MAX_PAGE_SIZE = 500

_FORM_REFUSALS = (
    errors.UnknownVocabularyError,
    errors.MissingFieldError,
    errors.InvalidFieldError,
    errors.DocumentNotUsableError,
    errors.EquipmentHeldByOtherUnitError,
    errors.EquipmentAlreadyListedError,
    errors.NoStandardInForceError,
    UpstreamError,
)


class EquipmentController(Controller):
    path = "/equipment"
    tags = ("equipment",)
    guards = (unit_scope,)

    @post("/", operation_id="AddEquipment", status_code=201, responses=refusals(*_FORM_REFUSALS))
    async def add_equipment(
        self,
        data: JSONBody[api.EquipmentCreate],
        caller: NamedDependency[Caller],
        caller_token: NamedDependency[str],
        uow: NamedDependency[UnitOfWork],
        services: NamedDependency[ServiceClient],
        vocabulary: NamedDependency[Vocabulary],
    ) -> api.Equipment:
        return await equipment.add_equipment(
            data, caller, uow, services=services, vocabulary=vocabulary, caller_token=caller_token
        )

    @get("/", operation_id="ListEquipment")
    async def list_equipment(
        self,
        caller: NamedDependency[Caller],
        uow: NamedDependency[UnitOfWork],
        equipment_type: Annotated[str | None, QueryParameter(name="type", min_length=1, max_length=100)] = None,
        complete: FromQuery[bool | None] = None,
        page: Annotated[int, QueryParameter(ge=1, le=100_000)] = 1,
        page_size: Annotated[int, QueryParameter(ge=1, le=MAX_PAGE_SIZE)] = 20,
    ) -> api.EquipmentPage:
        return await equipment.list_equipment(
            caller, uow, equipment_type=equipment_type, complete=complete, page=page, page_size=page_size
        )

    @get("/{equipment_id:str}", operation_id="GetEquipment", responses=refusals(errors.EquipmentNotFoundError))
    async def get_equipment(
        self, equipment_id: FromPath[str], caller: NamedDependency[Caller], uow: NamedDependency[UnitOfWork]
    ) -> api.Equipment:
        return await equipment.get_equipment(equipment_id, caller, uow)

    @put(
        "/{equipment_id:str}",
        operation_id="UpdateEquipment",
        responses=refusals(errors.EquipmentNotFoundError, *_FORM_REFUSALS),
    )
    async def update_equipment(
        self,
        equipment_id: FromPath[str],
        data: JSONBody[api.EquipmentCreate],
        caller: NamedDependency[Caller],
        caller_token: NamedDependency[str],
        uow: NamedDependency[UnitOfWork],
        services: NamedDependency[ServiceClient],
        vocabulary: NamedDependency[Vocabulary],
    ) -> api.Equipment:
        return await equipment.update_equipment(
            equipment_id, data, caller, uow, services=services, vocabulary=vocabulary, caller_token=caller_token
        )

    @delete("/{equipment_id:str}", operation_id="RemoveEquipment", responses=refusals(errors.EquipmentNotFoundError))
    async def remove_equipment(
        self, equipment_id: FromPath[str], caller: NamedDependency[Caller], uow: NamedDependency[UnitOfWork]
    ) -> None:
        await equipment.remove_equipment(equipment_id, caller, uow)
