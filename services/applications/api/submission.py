"""SubmissionController: POST /works/{id}/submission, 提交 (the owning unit; Idempotency-Key honoured)."""

from __future__ import annotations

from litestar import Controller, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody

from contracts.applications import review_api as api
from contracts.auth import Caller
from services.kernel import ServiceClient, UnitOfWork, UpstreamError, unit_scope
from services.kernel.openapi import refusals

from .. import errors
from ..handlers import submission
from ..model.workflow import Workflow


class SubmissionController(Controller):
    path = "/works/{application_id:str}/submission"
    guards = (unit_scope,)
    tags = ("workflow",)

    @post(
        "/",
        operation_id="SubmitWork",
        status_code=200,
        responses=refusals(
            errors.WorkNotFoundError,
            errors.IncompletePagesError,
            errors.StandardNotMetError,
            errors.StaleVersionError,
            errors.WrongStateError,
            UpstreamError,
        ),
    )
    async def submit(
        self,
        application_id: FromPath[str],
        data: JSONBody[api.SubmitWork],
        caller: NamedDependency[Caller],
        caller_token: NamedDependency[str],
        uow: NamedDependency[UnitOfWork],
        services: NamedDependency[ServiceClient],
        workflow: NamedDependency[Workflow],
    ) -> api.WorkflowStatus:
        return await submission.submit(
            application_id, data, caller, caller_token=caller_token, uow=uow, services=services, workflow=workflow
        )
