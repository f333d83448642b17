"""测绘资质办理 (manual 4.1): the signed-in unit's 工作列表, and who lands where on ``/``.

The page is a shell: ``templates/work_list.html`` lays out the list, the 新建工作 dialog and the
删除 confirmation; ``static/js/work.js`` fills them from the applications service through
``/api/applications`` (GET /works, GET /types, POST /works, DELETE /works/{id}). The service decides
what may be created and says why not; the page shows its words.

A unit's user lands on its 工作列表; an authority's (or the administrator's) on the 待办 queue
(``/review``); an anonymous visitor on 登录.
"""

from __future__ import annotations

import uuid
from typing import Any

from litestar import Controller, Request, Response, get
from litestar.di import NamedDependency
from litestar.response import Redirect

from gateway.sessions import Session

from . import PAGE_HEADERS, page

__all__ = ["WorkPagesController", "is_authority", "is_unit", "not_found", "valid_id"]


def is_unit(session: Session | None) -> bool:
    """A unit's user (单位用户) with its unit."""
    return session is not None and session.role == "unit" and bool(session.unit_id)


def is_authority(session: Session | None) -> bool:
    """A 主管部门 account or the administrator: the 待办 queue and the review screen are theirs."""
    return session is not None and session.role in ("authority", "admin")


def valid_id(application_id: str) -> bool:
    """A work's id is a UUID; anything else is a page that does not exist."""
    try:
        uuid.UUID(application_id)
    except ValueError:
        return False
    return True


def not_found(request: Request[Any, Any, Any], session: Session | None) -> Response[Any]:
    """页面不存在 (404): the same for a missing page and one the visitor may not see."""
    return page(request, "_work_not_found.html", session=session, status=404)


class WorkPagesController(Controller):
    """/ (and /work): 测绘资质办理."""

    response_headers = PAGE_HEADERS

    @get(["/", "/work"])
    async def work_list(
        self, request: Request[Any, Any, Any], session: NamedDependency[Session | None]
    ) -> Response[Any]:
        if session is None:
            return Redirect("/login")
        if is_authority(session):
            return Redirect("/review")
        if not is_unit(session):
            return Redirect("/login")
        return page(request, "work_list.html", session=session)
