"""One error body for every 4xx/5xx; msgspec validation becomes 400 naming the field (pinned)."""

from __future__ import annotations

from typing import Annotated

import msgspec
from litestar import Litestar, get, post
from litestar.params import JSONBody
from litestar.testing import TestClient

from contracts.base import Request
from services.kernel import BaseSettings, ConflictError, create_service_app


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
    return create_service_app(
        settings=settings,
        route_handlers=[create_thing, conflict, boom],
        requires_auth=False,
        needs_database=False,
        needs_nats=False,
    )


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
