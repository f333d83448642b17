"""信息填报 (manual §5): one piece of the unit's work — its page switcher, the page being filled,
保存 per page, 提交, and after 提交 the state, deadlines and 审批记录.

The page is a shell (``templates/work_fill.html``); ``static/js/work/fill.js`` reads the work and
its pages from ``/api/applications/works/{id}`` and renders each page from the definition the
service sends (fields by kind, uploads, roster pages). A work the unit does not own is the
service's 404, shown on the page; an authority following a link to ``/work/{id}`` is sent to the
review screen of the same work.
"""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Redirect

from gateway.sessions import Session
from gateway.settings import GatewaySettings

from . import PAGE_HEADERS, page
from .work_pages import is_authority, is_unit, not_found, valid_id

__all__ = ["FillPagesController"]


class FillPagesController(Controller):
    """/work/{id}: 信息填报."""

    response_headers = PAGE_HEADERS

    @get("/work/{application_id:str}")
    async def fill(
        self,
        request: Request[Any, Any, Any],
        session: NamedDependency[Session | None],
        application_id: FromPath[str],
    ) -> Response[Any]:
        if session is None:
            return Redirect("/login")
        if not valid_id(application_id) or not (is_unit(session) or is_authority(session)):
            return not_found(request, session)
        if is_authority(session):
            return Redirect(f"/review/{application_id}")
        settings: GatewaySettings = request.app.state.settings
        return page(
            request,
            "work_fill.html",
            session=session,
            application_id=application_id,
            upload_max_bytes=settings.upload_max_bytes,
        )
