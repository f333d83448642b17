"""Hostile input to 资质标准核验: extreme dates, amounts and counts, wrong types and junk in every
field. Junk is a 4xx with the error body naming the field; the few values that are not junk get a
verdict; nothing is ever a 500."""

from __future__ import annotations

import json
import re
from typing import Any

import msgspec
import pytest
from litestar.testing import TestClient

from contracts.errors import ErrorBody
from contracts.standards.api import Evaluation
from tests.builders.hostile import NASTY_STRINGS, NASTY_VALUES
from tests.builders.standards import EXAMPLE

EDGE_DATES = ["0001-01-01", "0001-12-31", "9999-12-31", "2024-02-29", "2021-07-01", "2021-06-30", "2026-13-01"]
EDGE_NUMBERS: list[Any] = [0, -0.0, 1e-300, 1e308, 99_999_999.99, 100_000_000, 100_000_001, -1, 2**63, 1.5]
CHINESE = re.compile(r"[\u4e00-\u9fff]")
LONE_SURROGATE = "\ud800"  # not UTF-8: the whole body is refused, no field can be named

Path = tuple[str | int, ...]
JUNK_PATHS: list[Path] = [
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
OPAQUE_LABELS = [text for text in NASTY_STRINGS if 1 <= len(text) <= 64 and text != LONE_SURROGATE]
NOT_JUNK: dict[Path, list[Any]] = {
    ("version",): [None],  # the version in force
    ("staff", 0, "id"): OPAQUE_LABELS,  # an opaque label of 1–64 characters, whatever they are
    ("staff", 0, "title"): [None, "null"],  # no 职称; Litestar's lax conversion reads the text "null" as null
    ("staff", 0, "countable"): [True, 0],  # Litestar's lax conversion reads 0 as false
    ("projects", 0, "amount_wan"): [0, 3.5],  # amounts in range
}


def _with(path: Path, value: Any) -> dict[str, Any]:
    body: Any = json.loads(json.dumps(EXAMPLE))
    target = body
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = value
    result: dict[str, Any] = body
    return result


def _post(client: TestClient[Any], headers: dict[str, str], body: dict[str, Any]) -> Any:
    return client.post("/evaluate", content=json.dumps(body), headers={**headers, "content-type": "application/json"})


def _field(path: Path) -> str:
    return "$" + "".join(f"[{step}]" if isinstance(step, int) else f".{step}" for step in path)


def assert_error_body(response: Any, *, status: int, code: str) -> ErrorBody:
    """A refusal: the status, the code and a Chinese message, in exactly the ErrorBody shape."""
    assert response.status_code == status, response.text[:300]
    assert set(response.json()) == {"code", "message", "details"}, response.text[:300]
    error = msgspec.json.decode(response.content, type=ErrorBody, strict=True)
    assert error.code == code, response.text[:300]
    assert CHINESE.search(error.message), error.message
    return error


def assert_verdict(response: Any, *, requests: int) -> Evaluation:
    assert response.status_code == 200, response.text[:300]
    evaluation = msgspec.json.decode(response.content, type=Evaluation, strict=True)
    assert evaluation.overall in ("pass", "fail", "incomplete")
    assert len(evaluation.results) == requests
    return evaluation


def _verdict_or_refusal(response: Any) -> None:
    if response.status_code == 200:
        assert_verdict(response, requests=len(EXAMPLE["requests"]))
    else:
        assert 400 <= response.status_code < 500, response.text[:300]
        assert_error_body(response, status=response.status_code, code=response.json()["code"])


def test_edge_dates_and_figures_get_a_verdict_or_a_4xx(client: TestClient[Any], headers: dict[str, str]) -> None:
    for day in EDGE_DATES:
        for version in ("2021", None):
            _verdict_or_refusal(_post(client, headers, {**EXAMPLE, "version": version, "application_date": day}))
        _verdict_or_refusal(_post(client, headers, _with(("held", 0, "since"), day)))
        _verdict_or_refusal(_post(client, headers, _with(("projects", 0, "completed_on"), day)))
    for number in EDGE_NUMBERS:
        _verdict_or_refusal(_post(client, headers, _with(("projects", 0, "amount_wan"), number)))
        _verdict_or_refusal(_post(client, headers, _with(("equipment", 0, "count"), number)))


def _junk(path: Path) -> list[Any]:
    legitimate = NOT_JUNK.get(path, [])
    return [value for value in NASTY_VALUES if not any(value == ok and type(value) is type(ok) for ok in legitimate)]


@pytest.mark.parametrize("path", JUNK_PATHS, ids=_field)
def test_junk_in_any_field_is_a_4xx_naming_the_field(
    client: TestClient[Any], headers: dict[str, str], path: Path
) -> None:
    for value in _junk(path):
        response = _post(client, headers, _with(path, value))
        if value == LONE_SURROGATE:
            assert_error_body(response, status=400, code="invalid_input")
        elif path == ("version",) and value in OPAQUE_LABELS:  # a well-formed name of no version
            error = assert_error_body(response, status=404, code="standards.unknown_version")
            assert error.details == {"version": value}
        else:
            error = assert_error_body(response, status=400, code="invalid_input")
            assert [problem["field"] for problem in error.details] == [_field(path)], (value, response.text[:300])


@pytest.mark.parametrize(("path", "values"), list(NOT_JUNK.items()), ids=[_field(path) for path in NOT_JUNK])
def test_values_that_are_not_junk_get_a_verdict(
    client: TestClient[Any], headers: dict[str, str], path: Path, values: list[Any]
) -> None:
    for value in values:
        assert_verdict(_post(client, headers, _with(path, value)), requests=len(EXAMPLE["requests"]))
