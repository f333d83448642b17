"""ReviewController: a work's workflow — POST /works/{id}/actions (领取, 受理, 退回补齐, 撤回, 审查意见,
批准, 不予批准, 延期), GET /works/{id}/workflow (status, deadlines, actions offered) and
GET /works/{id}/records (审批记录)."""

from __future__ import annotations

from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody

from contracts.applications import review_api as api
from contracts.auth import Caller
from services.kernel import UnitOfWork, signed_in
from services.kernel.openapi import refusals

from .. import errors
from ..handlers import review
from ..model.workflow import Workflow

_ACTION_REFUSALS = (
    errors.WorkNotFoundError,
    errors.UnknownActionError,
    errors.ReasonsRequiredError,
    errors.OpinionRequiredError,
    errors.ActionNotPermittedError,
    errors.StaleVersionError,
    errors.WrongStateError,
    errors.NotClaimedError,
    errors.HeldByOtherError,
    errors.ReviewRequiredError,
    errors.AlreadyReviewedError,
    errors.AlreadyExtendedError,
)


class ReviewController(Controller):
    path = "/works/{application_id:str}"
    guards = (signed_in,)
    tags = ("workflow",)

    @post("/actions", operation_id="TakeAction", status_code=200, responses=refusals(*_ACTION_REFUSALS))
    async def act(
        self,
        application_id: FromPath[str],
        data: JSONBody[api.TakeAction],
        caller: NamedDependency[Caller],
        uow: NamedDependency[UnitOfWork],
        workflow: NamedDependency[Workflow],
    ) -> api.WorkflowStatus:
        return await review.take_action(application_id, data, caller, uow=uow, workflow=workflow)

    @get("/workflow", operation_id="GetWorkflowStatus", responses=refusals(errors.WorkNotFoundError))
    async def status(
        self,
        application_id: FromPath[str],
        caller: NamedDependency[Caller],
        uow: NamedDependency[UnitOfWork],
        workflow: NamedDependency[Workflow],
    ) -> api.WorkflowStatus:
        return await review.read_status(application_id, caller, uow=uow, workflow=workflow)

    @get("/records", operation_id="ListReviewRecords", responses=refusals(errors.WorkNotFoundError))
    async def records(
        self,
        application_id: FromPath[str],
        caller: NamedDependency[Caller],
        uow: NamedDependency[UnitOfWork],
        workflow: NamedDependency[Workflow],
    ) -> api.ReviewRecords:
        return await review.read_records(application_id, caller, uow=uow, workflow=workflow)
