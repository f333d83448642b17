"""系统繁忙: the HTML 503 a portal page answers while a dependency (the gateway's database) is down.

Installed on the portal's router only, so ``/api``, ``/static`` and the health endpoints keep the
kernel's JSON error body; anything that is not an outage goes on to the kernel's handlers.
"""

from __future__ import annotations

from typing import Any

from litestar import Request, Response
from litestar.types import ExceptionHandlersMap

from services.kernel import ServiceUnavailableError
from services.kernel.errors import exception_handlers, outage_of

from . import PAGE_HEADERS, page

__all__ = ["outage_handlers"]

_KERNEL = exception_handlers()


def _unavailable_page(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    outage = outage_of(request, exc)
    if outage is None:
        return _KERNEL[Exception](request, exc)
    headers = {header.name: str(header.value) for header in PAGE_HEADERS} | (outage.headers or {})
    return page(request, "unavailable.html", session=None, status=outage.status_code, headers=headers)


def outage_handlers() -> ExceptionHandlersMap:
    """Exception handlers for the portal's pages: an outage renders 系统繁忙, the rest as the kernel does."""
    return {ServiceUnavailableError: _unavailable_page, Exception: _unavailable_page}
