"""``OPTIONS`` for a path served by several handlers, answering every method in ``Allow``.

Litestar (2.25) builds a path's automatic OPTIONS handler when the path's first handler is
registered and never updates it, so ``GET /documents`` and ``POST /documents`` answer
``Allow: GET, OPTIONS``. A controller declares ``allow(...)`` for such a path under a name that
sorts before its other handlers (a controller registers them in name order), so it is the
path's first handler and no automatic one is made.
"""

from __future__ import annotations

from typing import Any

from litestar import HttpMethod, Response, route
from litestar.handlers import HTTPRouteHandler

__all__ = ["allow"]


def allow(path: str, *methods: str) -> HTTPRouteHandler:
    header = ", ".join(sorted({*methods, "OPTIONS"}))

    def options(_controller: Any) -> Response[None]:
        return Response(None, status_code=204, headers={"Allow": header})

    return route(path, http_method=HttpMethod.OPTIONS, include_in_schema=False, sync_to_thread=False)(options)
