"""单位材料 (manual §5): the signed-in unit's documents — upload scans, see and delete them.

The page is a shell around the upload component (``_upload.html`` + ``static/js/upload.js``),
which talks to the documents service through ``/api/documents``; the service decides what is
accepted, the page only shows its words.
"""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get
from litestar.di import NamedDependency
from litestar.response import Redirect

from gateway.sessions import Session
from gateway.settings import GatewaySettings

from . import PAGE_HEADERS, page

__all__ = ["MaterialsPagesController"]


class MaterialsPagesController(Controller):
    """/materials: 单位材料."""

    response_headers = PAGE_HEADERS

    @get("/materials")
    async def materials(
        self, request: Request[Any, Any, Any], session: NamedDependency[Session | None]
    ) -> Response[Any]:
        if session is None:
            return Redirect("/login")
        settings: GatewaySettings = request.app.state.settings
        return page(request, "materials.html", session=session, upload_max_bytes=settings.upload_max_bytes)
