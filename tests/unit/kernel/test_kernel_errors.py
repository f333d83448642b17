"""One error body for every 4xx/5xx; msgspec validation becomes 400 naming the field (pinned)."""

from __future__ import annotations

import errno
import logging
from collections.abc import Callable
from typing import Annotated

import asyncpg
import msgspec
import nats.errors
import nats.js.errors
import pytest
from litestar import Litestar, get, post
from litestar.exceptions import ServiceUnavailableException
from litestar.params import FromPath, JSONBody
from litestar.testing import TestClient

from contracts.base import Request
from services.kernel import BaseSettings, ConflictError, DomainError, ServiceUnavailableError
from services.kernel.errors import RETRY_AFTER_SECONDS
from tests.fixtures.apps import kernel_app


class Thing(Request):
    name: Annotated[str, msgspec.Meta(max_length=5)]
    count: int


@post("/things", sync_to_thread=False)
def create_thing(data: JSONBody[Thing]) -> Thing:
    return data


@get("/conflict", sync_to_thread=False)
def conflict() -> None:
    raise ConflictError("该单位名称已注册", code="identity.unit_name_taken", details={"field": "$.unit_name"})


@get("/boom", sync_to_thread=False)
def boom() -> None:
    raise RuntimeError("database password is hunter2")


def app() -> Litestar:
    settings = BaseSettings(service_name="errors", log_json=False)
    return kernel_app(settings, [create_thing, conflict, boom], database=False, nats=False, auth=False)


def test_validation_error_body_is_pinned() -> None:
    with TestClient(app()) as client:
        response = client.post("/things", json={"name": "toolongname", "count": 1})
    assert response.status_code == 400
    assert response.json() == {
        "code": "invalid_input",
        "message": "输入有误：$.name 长度不符合要求（Expected `str` of length <= 5）",
        "details": [{"field": "$.name", "problem": "长度不符合要求（Expected `str` of length <= 5）"}],
    }


def test_wrong_type_unknown_field_and_malformed_json_are_400_with_the_field() -> None:
    with TestClient(app()) as client:
        wrong_type = client.post("/things", json={"name": "a", "count": "x"})
        unknown = client.post("/things", json={"name": "a", "count": 1, "extra": 1})
        malformed = client.post("/things", content=b"{not json", headers={"content-type": "application/json"})
    assert wrong_type.status_code == 400
    assert wrong_type.json()["details"][0]["field"] == "$.count"
    assert unknown.status_code == 400
    assert unknown.json()["details"][0]["field"] == "$.extra"
    assert unknown.json()["details"][0]["problem"].startswith("包含未知字段")
    assert malformed.status_code == 400
    assert malformed.json()["code"] == "invalid_input"


def test_missing_field_is_named() -> None:
    with TestClient(app()) as client:
        response = client.post("/things", json={"name": "a"})
    assert response.status_code == 400
    assert response.json()["details"] == [
        {"field": "$.count", "problem": "缺少必填字段（Object missing required field `count`）"}
    ]


def test_domain_error_keeps_code_message_and_details() -> None:
    with TestClient(app()) as client:
        response = client.get("/conflict")
    assert response.status_code == 409
    assert response.json() == {
        "code": "identity.unit_name_taken",
        "message": "该单位名称已注册",
        "details": {"field": "$.unit_name"},
    }


def test_unexpected_errors_are_500_without_internals() -> None:
    with TestClient(app()) as client:
        response = client.get("/boom")
        missing = client.get("/nowhere")
    assert response.status_code == 500
    assert response.json() == {"code": "internal", "message": "系统繁忙，请稍后再试", "details": None}
    assert "hunter2" not in response.text
    assert missing.status_code == 404
    assert missing.json()["code"] == "not_found"


def test_an_empty_body_says_so() -> None:
    with TestClient(app()) as client:
        response = client.post("/things", content=b"", headers={"content-type": "application/json"})
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_input"
    assert response.json()["message"] == "输入有误：请求内容为空"


# A dependency that is down answers 503 with Retry-After; what asyncpg and nats-py raise for it was
# taken from the real clients against stopped servers (see tests/integration/kernel/test_kernel_outage.py).
OUTAGES: dict[str, Callable[[], BaseException]] = {
    "pg-refused": lambda: ConnectionRefusedError(111, "Connect call failed ('127.0.0.1', 15432)"),
    "pg-lost-mid-query": lambda: asyncpg.ConnectionDoesNotExistError(
        "connection was closed in the middle of operation"
    ),
    "pg-starting": lambda: asyncpg.CannotConnectNowError("the database system is starting up"),
    "pg-shutdown": lambda: asyncpg.AdminShutdownError("terminating connection due to administrator command"),
    "pg-full": lambda: asyncpg.TooManyConnectionsError("sorry, too many clients already"),
    "pg-unreachable": lambda: OSError(errno.EHOSTUNREACH, "No route to host"),
    "pool-timeout": TimeoutError,
    "nats-no-ack": nats.errors.TimeoutError,
    "nats-no-responders": nats.errors.NoRespondersError,
    "nats-closed": nats.errors.ConnectionClosedError,
    "jetstream-unavailable": nats.js.errors.ServiceUnavailableError,
}
# Programming errors stay 500, whatever library raised them.
BUGS: dict[str, Callable[[], BaseException]] = {
    "busy-connection": lambda: asyncpg.InterfaceError("cannot perform operation: another operation is in progress"),
    "wrong-arguments": lambda: asyncpg.InterfaceError("the server expects 2 arguments for this query, 1 was passed"),
    "bad-argument": lambda: asyncpg.DataError("invalid input for query argument $1: 'x'"),
    "undefined-table": lambda: asyncpg.UndefinedTableError('relation "nowhere" does not exist'),
    "use-after-release": lambda: asyncpg.InterfaceError(
        "cannot call Connection.fetchval(): connection has been released back to the pool"
    ),
    "missing-file": lambda: FileNotFoundError(errno.ENOENT, "No such file or directory"),
    "key": lambda: KeyError("x"),
}


@get("/raise/{kind:str}", sync_to_thread=False)
def raise_kind(kind: FromPath[str]) -> None:
    raise {**OUTAGES, **BUGS}[kind]()


@get("/lost-then-rollback-failed", sync_to_thread=False)
def lost_then_rollback_failed() -> None:
    try:
        raise asyncpg.ConnectionDoesNotExistError("connection was closed in the middle of operation")
    except asyncpg.ConnectionDoesNotExistError:
        raise asyncpg.InterfaceError("cannot call Transaction.rollback(): the underlying connection is closed")  # noqa: B904


@get("/bug-after-timeout", sync_to_thread=False)
def bug_after_timeout() -> None:
    try:
        raise TimeoutError
    except TimeoutError:
        raise KeyError("a bug while handling an expected timeout")  # noqa: B904


@get("/unavailable", sync_to_thread=False)
def unavailable() -> None:
    raise ServiceUnavailableException()


@pytest.fixture
def outage_app() -> Litestar:
    """Built in the fixture: building an app sets up logging, which would drop ``caplog``'s handler."""
    settings = BaseSettings(service_name="outages", log_json=False)
    routes = [raise_kind, lost_then_rollback_failed, bug_after_timeout, unavailable]
    return kernel_app(settings, routes, database=False, nats=False, auth=False)


UNAVAILABLE = {"code": "service_unavailable", "message": "服务暂时不可用，请稍后再试", "details": None}


@pytest.mark.parametrize("kind", sorted(OUTAGES))
def test_a_dependency_outage_is_503_with_retry_after(
    kind: str, outage_app: Litestar, caplog: pytest.LogCaptureFixture
) -> None:
    with TestClient(outage_app) as client, caplog.at_level(logging.WARNING):
        response = client.get(f"/raise/{kind}")
    assert response.status_code == 503
    assert response.json() == UNAVAILABLE
    assert response.headers["retry-after"] == str(RETRY_AFTER_SECONDS)
    assert not [record for record in caplog.records if record.levelno >= logging.ERROR]
    assert any("answered 503" in record.getMessage() for record in caplog.records)


@pytest.mark.parametrize("kind", sorted(BUGS))
def test_a_programming_error_stays_500(kind: str, outage_app: Litestar, caplog: pytest.LogCaptureFixture) -> None:
    with TestClient(outage_app) as client, caplog.at_level(logging.WARNING):
        response = client.get(f"/raise/{kind}")
    assert response.status_code == 500
    assert response.json() == {"code": "internal", "message": "系统繁忙，请稍后再试", "details": None}
    assert "retry-after" not in response.headers
    assert any(record.getMessage() == "unhandled error" for record in caplog.records)


def test_an_error_raised_from_a_lost_connection_is_503_a_bug_raised_while_handling_one_is_500(
    outage_app: Litestar,
) -> None:
    with TestClient(outage_app) as client:
        lost = client.get("/lost-then-rollback-failed")
        bug = client.get("/bug-after-timeout")
    assert lost.status_code == 503
    assert lost.json() == UNAVAILABLE
    assert bug.status_code == 500


def test_litestars_own_503_speaks_the_same_body(outage_app: Litestar) -> None:
    with TestClient(outage_app) as client:
        response = client.get("/unavailable")
    assert response.status_code == 503
    assert response.json() == UNAVAILABLE
    assert response.headers["retry-after"] == str(RETRY_AFTER_SECONDS)


def test_a_client_error_stays_4xx_next_to_the_outage_mapping() -> None:
    with TestClient(app()) as client:
        conflict = client.get("/conflict")
        invalid = client.post("/things", json={"name": "a"})
    assert (conflict.status_code, invalid.status_code) == (409, 400)


def test_service_unavailable_error_is_a_leaf_of_the_tree() -> None:
    error = ServiceUnavailableError()
    assert isinstance(error, DomainError)
    assert (error.status_code, error.code, error.message) == (503, "service_unavailable", "服务暂时不可用，请稍后再试")
    assert error.headers == {"Retry-After": str(RETRY_AFTER_SECONDS)}
