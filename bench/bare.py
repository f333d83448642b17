"""The ceiling: a bare Litestar endpoint returning a small msgspec Struct, served by granian."""

from __future__ import annotations

import msgspec
from litestar import Litestar, get


class Pong(msgspec.Struct):
    status: str
    service: str


@get("/ping", sync_to_thread=False)
def ping() -> Pong:
    return Pong(status="ok", service="bare")


def create_app() -> Litestar:
    return Litestar(route_handlers=[ping], logging_config=None)
