"""Fixtures of the standards service tests: the app behind a test client, a unit's token."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from litestar.testing import TestClient

from services.standards.app import create_app
from tests.builders.standards import standards_settings


@pytest.fixture
def client(token_keys: tuple[str, str]) -> Iterator[TestClient[Any]]:
    with TestClient(create_app(standards_settings(token_keys[1]))) as test_client:
        yield test_client


@pytest.fixture
def headers(sign: Callable[..., dict[str, str]]) -> dict[str, str]:
    return sign(role="unit", unit_id="u1")
