"""``OPTIONS`` answers every method of its path in ``Allow``, however many handlers serve the path.

Litestar (2.25, litestar-org/litestar#4169) builds a path's automatic OPTIONS handler when the
path's first handler is registered and never updates it, so ``GET /documents`` plus
``POST /documents`` answer ``Allow: GET, OPTIONS``. Rather than replace the automatic handlers
(private state of Litestar's routes) or make every service declare its paths' methods, one
middleware rewrites the ``Allow`` header of an OPTIONS response with the methods of the route
that answered it. It reads only what Litestar documents: the app's ``routes`` (each with its
``methods`` and ``route_handlers``) and the ``route_handler`` and ``litestar_app`` of the scope.
It keeps working, unchanged, once Litestar fixes the bug, and it leaves a response without
``Allow`` alone.
"""

from __future__ import annotations

from litestar import Litestar
from litestar.handlers import BaseRouteHandler
from litestar.routes import HTTPRoute
from litestar.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["options_middleware"]


def _allow(app: Litestar, handler: BaseRouteHandler) -> bytes | None:
    """Every method of the route ``handler`` belongs to, as an ``Allow`` value."""
    for route in app.routes:
        if isinstance(route, HTTPRoute) and any(candidate is handler for candidate in route.route_handlers):
            return ", ".join(sorted(route.methods)).encode()
    return None


def options_middleware(app: ASGIApp) -> ASGIApp:
    """Litestar wraps each handler in its own middleware stack: this one learns the header once."""
    allow: bytes | None = None

    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        nonlocal allow
        if scope["type"] != "http" or scope.get("method") != "OPTIONS":
            await app(scope, receive, send)
            return
        if allow is None:
            allow = _allow(scope["litestar_app"], scope["route_handler"])
        header = allow

        async def send_allow(message: Message) -> None:
            if message["type"] == "http.response.start" and header is not None:
                headers = message.get("headers") or []
                if any(name.lower() == b"allow" for name, _ in headers):
                    message["headers"] = [
                        (name, header if name.lower() == b"allow" else value) for name, value in headers
                    ]
            await send(message)

        await app(scope, receive, send_allow)

    return middleware
