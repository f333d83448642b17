"""Dependencies resolved one after another, not in a task group per request.

Litestar resolves the dependencies of a handler that sit at the same level of its dependency graph
concurrently, in an anyio task group, whenever there are two or more: a handler taking ``caller``
and ``uow`` spawns two tasks on every request. The kernel's dependencies are values at hand (the
caller read off the scope, a UnitOfWork object, the provided adapters) or one short lookup (the
gateway's session), so the concurrency buys nothing and the task group costs ~60 µs of CPU per
request (measured on this VM: 59 µs for two trivial dependencies, 0.4 µs in turn), about a tenth
of a public verification's CPU in the registry. ``resolve_in_turn()`` makes Litestar resolve each
level's dependencies in turn, with the same results, errors and cleanups; the kernel's
``build_app`` installs it, so every process runs it. Pinned by ``tests/unit/kernel/test_dependencies.py``
(which also notices a Litestar upgrade that renames what is replaced here).
"""

from __future__ import annotations

from typing import Any

from litestar._kwargs.cleanup import DependencyCleanupGroup
from litestar._kwargs.dependencies import resolve_dependency
from litestar._kwargs.kwargs_model import KwargsModel
from litestar.connection import ASGIConnection

__all__ = ["resolve_in_turn"]


async def _resolve_dependencies_in_turn(
    self: KwargsModel, connection: ASGIConnection[Any, Any, Any, Any], kwargs: dict[str, Any]
) -> DependencyCleanupGroup:
    cleanup_group = DependencyCleanupGroup()
    for batch in self.dependency_batches:
        for dependency in batch:
            await resolve_dependency(dependency, connection, kwargs, cleanup_group)
    return cleanup_group


def resolve_in_turn() -> None:
    """Install the in-turn resolution on Litestar's ``KwargsModel`` (idempotent)."""
    KwargsModel.resolve_dependencies = _resolve_dependencies_in_turn  # type: ignore[method-assign]
