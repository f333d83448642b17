"""run(): serve an app factory with granian; SIGTERM stops accepting and drains in-flight work."""

from __future__ import annotations

import logging

from granian.constants import Interfaces, Loops
from granian.server import Server

from .settings import BaseSettings

__all__ = ["run"]

logger = logging.getLogger(__name__)


def run(target: str, settings: BaseSettings) -> None:
    """Serve ``module:factory`` (called with no arguments; it loads its settings itself)."""
    server = Server(
        target,
        address=settings.host,
        port=settings.port,
        interface=Interfaces.ASGI,
        factory=True,
        workers=settings.workers,
        loop=Loops.auto,
        log_access=False,
        workers_kill_timeout=10,
    )
    server.serve()
