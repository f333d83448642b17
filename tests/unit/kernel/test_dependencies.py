"""Dependencies of one level resolved in turn (``services.kernel.dependencies``): in the request's
own task, with the same values, errors and cleanups as Litestar's task group gave."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

from litestar import Litestar, get
from litestar._kwargs.kwargs_model import KwargsModel
from litestar.di import NamedDependency, Provide
from litestar.testing import AsyncTestClient

from services.kernel import ForbiddenError
from services.kernel.dependencies import resolve_in_turn
from services.kernel.errors import exception_handlers

seen: dict[str, Any] = {}


async def provide_session() -> str:
    seen["session_task"] = asyncio.current_task()
    await asyncio.sleep(0)
    return "session"


def provide_caller() -> str:
    return "caller"


async def provide_resource() -> AsyncIterator[str]:
    seen["opened"] = True
    yield "resource"
    seen["closed"] = True


def provide_refusal() -> str:
    raise ForbiddenError("无权访问")


@get("/three")
async def three(
    session: NamedDependency[str], caller: NamedDependency[str], resource: NamedDependency[str]
) -> dict[str, Any]:
    return {"values": [session, caller, resource], "same_task": seen["session_task"] is asyncio.current_task()}


@get("/refused")
async def refused(caller: NamedDependency[str], refusal: NamedDependency[str]) -> str:
    return refusal


def app() -> Litestar:
    resolve_in_turn()
    return Litestar(
        route_handlers=[three, refused],
        dependencies={
            "session": Provide(provide_session),
            "caller": Provide(provide_caller, sync_to_thread=False),
            "resource": Provide(provide_resource),
            "refusal": Provide(provide_refusal, sync_to_thread=False),
        },
        exception_handlers=exception_handlers(),
    )


async def test_a_levels_dependencies_are_resolved_in_the_requests_own_task() -> None:
    seen.clear()
    async with AsyncTestClient(app()) as client:
        response = await client.get("/three")

    assert response.status_code == 200
    assert response.json() == {"values": ["session", "caller", "resource"], "same_task": True}
    assert seen["opened"] and seen["closed"]  # the generator dependency's cleanup still runs


async def test_a_refusing_dependency_gives_its_own_answer() -> None:
    async with AsyncTestClient(app()) as client:
        response = await client.get("/refused")

    assert response.status_code == 403
    assert response.json()["message"] == "无权访问"


def test_the_replaced_method_is_litestars() -> None:
    resolve_in_turn()
    assert KwargsModel.resolve_dependencies.__name__ == "_resolve_dependencies_in_turn"
    assert hasattr(KwargsModel, "dependency_batches") or "dependency_batches" in KwargsModel.__slots__
