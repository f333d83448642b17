"""测绘资质办理 (manual 4.1): the signed-in unit's work list (工作列表).

The applications service does not list work yet (its capability arrives with its issue), so the
list is empty and the page offers no action that would not work.
"""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get
from litestar.di import NamedDependency
from litestar.response import Redirect

from gateway.sessions import Session

from . import PAGE_HEADERS, page

__all__ = ["WorkPagesController"]


class WorkPagesController(Controller):
    """/ (and /work): 测绘资质办理."""

    response_headers = PAGE_HEADERS

    @get(["/", "/work"])
    async def work_list(
        self, request: Request[Any, Any, Any], session: NamedDependency[Session | None]
    ) -> Response[Any]:
        if session is None:
            return Redirect("/login")
        return page(request, "work_list.html", session=session, works=[])
