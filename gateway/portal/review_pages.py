"""The authority's side of applications (manual §4): the 待办 queue and the review screen (审查).

Both are shells (``templates/review_queue.html``, ``templates/review_detail.html``) brought to life
by ``static/js/review.js`` against ``/api/applications`` (GET /queue, GET /works/{id}, its pages,
GET /works/{id}/workflow and /records, POST /works/{id}/actions), ``/api/documents`` (previews) and
``/api/staffing`` (the snapshot taken at 提交). The screen offers only the actions the service
lists for the caller (``WorkflowStatus.actions``); it decides nothing itself.

Units never see these pages: ``/review`` answers a unit's user 404, as for a page that does not
exist.
"""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Redirect

from gateway.sessions import Session
from services.kernel import TokenMinter

from . import PAGE_HEADERS, page
from .reminders import calendar_reminder
from .work_pages import is_authority, not_found, valid_id

__all__ = ["ReviewPagesController"]


class ReviewPagesController(Controller):
    """/review (待办) and /review/{id} (审查)."""

    response_headers = PAGE_HEADERS

    @get("/review")
    async def queue(
        self,
        request: Request[Any, Any, Any],
        session: NamedDependency[Session | None],
        tokens: NamedDependency[TokenMinter],
    ) -> Response[Any]:
        if session is None:
            return Redirect("/login")
        if not is_authority(session):
            return not_found(request, session)
        reminder = await calendar_reminder(request, tokens, session)
        return page(request, "review_queue.html", session=session, reminder=reminder)

    @get("/review/{application_id:str}")
    async def detail(
        self,
        request: Request[Any, Any, Any],
        session: NamedDependency[Session | None],
        application_id: FromPath[str],
    ) -> Response[Any]:
        if session is None:
            return Redirect("/login")
        if not is_authority(session) or not valid_id(application_id):
            return not_found(request, session)
        return page(request, "review_detail.html", session=session, application_id=application_id)
