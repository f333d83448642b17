"""ProjectController: a unit's 测绘业绩 — 添加, the list, one project for the edit form, 编辑, 删除."""

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
from ..handlers import projects
from ..handlers.vocabulary import Vocabulary

__all__ = ["ProjectController"]

MAX_PAGE_SIZE = 500

_FORM_REFUSALS = (
    errors.UnknownVocabularyError,
    errors.MissingFieldError,
    errors.InvalidFieldError,
    errors.InvalidAmountError,
    errors.DocumentNotUsableError,
    errors.NoStandardInForceError,
    UpstreamError,
)


class ProjectController(Controller):
    path = "/projects"
    tags = ("projects",)
    guards = (unit_scope,)

    @post("/", operation_id="AddProject", status_code=201, responses=refusals(*_FORM_REFUSALS))
    async def add_project(
        self,
        data: JSONBody[api.ProjectCreate],
        caller: NamedDependency[Caller],
        caller_token: NamedDependency[str],
        uow: NamedDependency[UnitOfWork],
        services: NamedDependency[ServiceClient],
        vocabulary: NamedDependency[Vocabulary],
    ) -> api.Project:
        return await projects.add_project(
            data, caller, uow, services=services, vocabulary=vocabulary, caller_token=caller_token
        )

    @get("/", operation_id="ListProjects")
    async def list_projects(
        self,
        caller: NamedDependency[Caller],
        uow: NamedDependency[UnitOfWork],
        category: Annotated[str | None, QueryParameter(min_length=1, max_length=100)] = None,
        complete: FromQuery[bool | None] = None,
        page: Annotated[int, QueryParameter(ge=1, le=100_000)] = 1,
        page_size: Annotated[int, QueryParameter(ge=1, le=MAX_PAGE_SIZE)] = 20,
    ) -> api.ProjectPage:
        return await projects.list_projects(
            caller, uow, category=category, complete=complete, page=page, page_size=page_size
        )

    @get("/{project_id:str}", operation_id="GetProject", responses=refusals(errors.ProjectNotFoundError))
    async def get_project(
        self, project_id: FromPath[str], caller: NamedDependency[Caller], uow: NamedDependency[UnitOfWork]
    ) -> api.Project:
        return await projects.get_project(project_id, caller, uow)

    @put(
        "/{project_id:str}",
        operation_id="UpdateProject",
        responses=refusals(errors.ProjectNotFoundError, *_FORM_REFUSALS),
    )
    async def update_project(
        self,
        project_id: FromPath[str],
        data: JSONBody[api.ProjectCreate],
        caller: NamedDependency[Caller],
        caller_token: NamedDependency[str],
        uow: NamedDependency[UnitOfWork],
        services: NamedDependency[ServiceClient],
        vocabulary: NamedDependency[Vocabulary],
    ) -> api.Project:
        return await projects.update_project(
            project_id, data, caller, uow, services=services, vocabulary=vocabulary, caller_token=caller_token
        )

    @delete("/{project_id:str}", operation_id="RemoveProject", responses=refusals(errors.ProjectNotFoundError))
    async def remove_project(
        self, project_id: FromPath[str], caller: NamedDependency[Caller], uow: NamedDependency[UnitOfWork]
    ) -> None:
        await projects.remove_project(project_id, caller, uow)
