"""Hostile input to 资质标准核验: extreme dates, amounts and counts, wrong types and junk in every
field — a verdict or a 4xx with the error body, never a 500."""

from __future__ import annotations

import json
import random
from typing import Any

from litestar.testing import TestClient

from tests.builders.hostile import NASTY_VALUES
from tests.builders.standards import EXAMPLE

EDGE_DATES = ["0001-01-01", "0001-12-31", "9999-12-31", "2024-02-29", "2021-07-01", "2021-06-30", "2026-13-01"]
EDGE_NUMBERS: list[Any] = [0, -0.0, 1e-300, 1e308, 99_999_999.99, 100_000_000, 100_000_001, -1, 2**63, 1.5]


def _post(client: TestClient[Any], headers: dict[str, str], body: dict[str, Any]) -> None:
    response = client.post(
        "/evaluate", content=json.dumps(body), headers={**headers, "content-type": "application/json"}
    )
    assert response.status_code in (200, 400, 404, 422), (body, response.status_code, response.text[:300])
    if response.status_code != 200:
        assert response.json()["message"], response.text


def test_edge_dates_and_figures_get_a_verdict_or_a_4xx(client: TestClient[Any], headers: dict[str, str]) -> None:
    for day in EDGE_DATES:
        for version in ("2021", None):
            _post(client, headers, {**EXAMPLE, "version": version, "application_date": day})
        _post(client, headers, {**EXAMPLE, "held": [{**EXAMPLE["held"][0], "since": day}]})
        _post(client, headers, {**EXAMPLE, "projects": [{**EXAMPLE["projects"][0], "completed_on": day}]})
    for number in EDGE_NUMBERS:
        _post(client, headers, {**EXAMPLE, "projects": [{**EXAMPLE["projects"][0], "amount_wan": number}]})
        _post(client, headers, {**EXAMPLE, "equipment": [{**EXAMPLE["equipment"][0], "count": number}]})


def test_junk_in_any_field_is_a_4xx(client: TestClient[Any], headers: dict[str, str]) -> None:
    rng = random.Random(4)
    paths = [
        ("version",),
        ("application_date",),
        ("requests", 0, "category"),
        ("requests", 0, "level"),
        ("staff", 0, "id"),
        ("staff", 0, "major"),
        ("staff", 0, "title"),
        ("staff", 0, "countable"),
        ("equipment", 0, "type"),
        ("held", 0, "since"),
        ("projects", 0, "amount_wan"),
    ]
    for path in paths:
        for value in rng.sample(NASTY_VALUES, 12):
            body: Any = json.loads(json.dumps(EXAMPLE))
            target = body
            for step in path[:-1]:
                target = target[step]
            target[path[-1]] = value
            _post(client, headers, body)
