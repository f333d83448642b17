"""The public verification route's guard runs on the event loop: Litestar runs a plain-function
guard in a worker thread (``sync_to_thread``), a thread hop on every 证书查验."""

from __future__ import annotations

from litestar.utils.predicates import is_async_callable

from services.registry.api.public import PublicController, anyone


def test_the_public_guard_is_a_coroutine_function() -> None:
    assert PublicController.guards == (anyone,)
    assert is_async_callable(anyone)
