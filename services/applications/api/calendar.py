"""CalendarController: GET /calendar/{year} and GET /calendar/reminder (signed in), and PUT
/calendar/{year} (the administrator loads the year's 国务院办公厅 放假通知)."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, get, put
from litestar.di import NamedDependency
from litestar.params import JSONBody, PathParameter

from contracts.applications import review_api as api
from contracts.auth import Caller
from services.kernel import UnitOfWork, signed_in
from services.kernel.openapi import refusals

from .. import errors
from ..handlers import calendar
from ..handlers.calendar import FIRST_YEAR, LAST_YEAR
from ..model.workflow import Workflow

Year = Annotated[int, PathParameter(ge=FIRST_YEAR, le=LAST_YEAR)]
"""The years the calendar keeps (a year outside is a 400 naming ``year``)."""


class CalendarController(Controller):
    path = "/calendar"
    guards = (signed_in,)
    tags = ("calendar",)

    @get("/reminder", operation_id="GetCalendarReminder")
    async def reminder(self, uow: NamedDependency[UnitOfWork]) -> api.CalendarReminder:
        return await calendar.read_reminder(uow=uow)

    @get("/{year:int}", operation_id="GetCalendarYear", responses=refusals(errors.CalendarInvalidError))
    async def read(self, year: Year, uow: NamedDependency[UnitOfWork]) -> api.CalendarYear:
        return await calendar.read_year(year, uow=uow)

    @put(
        "/{year:int}",
        operation_id="LoadCalendarYear",
        responses=refusals(errors.CalendarInvalidError, errors.AdministratorOnlyError),
    )
    async def load(
        self,
        year: Year,
        data: JSONBody[api.CalendarNotice],
        caller: NamedDependency[Caller],
        uow: NamedDependency[UnitOfWork],
        workflow: NamedDependency[Workflow],
    ) -> api.CalendarYear:
        return await calendar.load_year(year, data, caller, uow=uow, limits=workflow.deadline_limits)
