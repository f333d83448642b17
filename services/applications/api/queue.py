"""QueueController: GET /queue, the authority's 待办 within its jurisdiction."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, get
from litestar.di import NamedDependency
from litestar.params import FromQuery, QueryParameter

from contracts.applications import review_api as api
from contracts.auth import Caller
from services.kernel import UnitOfWork, authority_scope
from services.kernel.openapi import refusals

from .. import errors
from ..handlers import queue
from ..model.workflow import Workflow

MAX_PAGE_SIZE = 100


class QueueController(Controller):
    path = "/queue"
    guards = (authority_scope(),)
    tags = ("queue",)

    @get("/", operation_id="ListQueue", responses=refusals(errors.QueueFilterInvalidError))
    async def list_queue(
        self,
        caller: NamedDependency[Caller],
        uow: NamedDependency[UnitOfWork],
        workflow: NamedDependency[Workflow],
        states: Annotated[str | None, QueryParameter(name="state", max_length=100)] = None,
        category: Annotated[str | None, QueryParameter(max_length=50)] = None,
        q: Annotated[str | None, QueryParameter(max_length=50)] = None,
        overdue: FromQuery[bool | None] = None,
        sort: FromQuery[api.QueueSort] = "deadline",
        page: Annotated[int, QueryParameter(ge=1, le=100_000)] = 1,
        page_size: Annotated[int, QueryParameter(ge=1, le=MAX_PAGE_SIZE)] = 20,
    ) -> api.QueuePage:
        return await queue.read_queue(
            caller,
            uow=uow,
            workflow=workflow,
            state=states,
            category=category,
            q=q,
            overdue=overdue,
            sort=sort,
            page=page,
            page_size=page_size,
        )
