"""PersonController: a unit's 技术人员 — 添加, the list, one person for the edit form, 编辑, 移除."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, delete, get, post, put
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, JSONBody, QueryParameter

from contracts.auth import Caller
from contracts.staffing import api
from services.kernel import ServiceClient, UnitOfWork, unit_scope
from services.kernel.openapi import refusals

from .. import errors
from ..handlers import persons
from ..protection import Protector

MAX_PAGE_SIZE = 500

_FORM_REFUSALS = (
    errors.InvalidIdNumberError,
    errors.MissingFieldError,
    errors.InvalidFieldError,
    errors.DocumentNotUsableError,
    errors.PersonHeldByOtherUnitError,
    errors.PersonAlreadyListedError,
)


class PersonController(Controller):
    path = "/persons"
    tags = ("persons",)
    guards = (unit_scope,)

    @post("/", operation_id="AddPerson", status_code=201, responses=refusals(*_FORM_REFUSALS))
    async def add_person(
        self,
        data: JSONBody[api.PersonCreate],
        caller: NamedDependency[Caller],
        caller_token: NamedDependency[str],
        uow: NamedDependency[UnitOfWork],
        services: NamedDependency[ServiceClient],
        protector: NamedDependency[Protector],
    ) -> api.Person:
        return await persons.add_person(
            data, caller, uow, services=services, protector=protector, caller_token=caller_token
        )

    @get("/", operation_id="ListPersons")
    async def list_persons(
        self,
        caller: NamedDependency[Caller],
        uow: NamedDependency[UnitOfWork],
        category: FromQuery[api.PersonCategory | None] = None,
        complete: FromQuery[bool | None] = None,
        q: Annotated[str | None, QueryParameter(max_length=50)] = None,
        page: Annotated[int, QueryParameter(ge=1, le=100_000)] = 1,
        page_size: Annotated[int, QueryParameter(ge=1, le=MAX_PAGE_SIZE)] = 20,
    ) -> api.PersonPage:
        return await persons.list_persons(
            caller, uow, category=category, complete=complete, q=q, page=page, page_size=page_size
        )

    @get("/{person_id:str}", operation_id="GetPerson", responses=refusals(errors.PersonNotFoundError))
    async def get_person(
        self,
        person_id: FromPath[str],
        caller: NamedDependency[Caller],
        uow: NamedDependency[UnitOfWork],
        protector: NamedDependency[Protector],
    ) -> api.Person:
        return await persons.get_person(person_id, caller, uow, protector=protector)

    @put(
        "/{person_id:str}",
        operation_id="UpdatePerson",
        responses=refusals(errors.PersonNotFoundError, *_FORM_REFUSALS),
    )
    async def update_person(
        self,
        person_id: FromPath[str],
        data: JSONBody[api.PersonCreate],
        caller: NamedDependency[Caller],
        caller_token: NamedDependency[str],
        uow: NamedDependency[UnitOfWork],
        services: NamedDependency[ServiceClient],
        protector: NamedDependency[Protector],
    ) -> api.Person:
        return await persons.update_person(
            person_id, data, caller, uow, services=services, protector=protector, caller_token=caller_token
        )

    @delete("/{person_id:str}", operation_id="RemovePerson", responses=refusals(errors.PersonNotFoundError))
    async def remove_person(
        self, person_id: FromPath[str], caller: NamedDependency[Caller], uow: NamedDependency[UnitOfWork]
    ) -> None:
        await persons.remove_person(person_id, caller, uow)
