"""OPTIONS answers every method of a path in ``Allow``, however many handlers serve it (litestar#4169)."""

from __future__ import annotations

from litestar import Controller, Litestar, delete, get, post
from litestar.params import FromPath
from litestar.testing import TestClient

from services.kernel import BaseSettings
from tests.fixtures.apps import kernel_app


@get("/things", sync_to_thread=False)
def list_things() -> list[str]:
    return []


@post("/things", sync_to_thread=False)
def add_thing() -> None:
    return None


@delete("/things", sync_to_thread=False)
def clear_things() -> None:
    return None


class ItemController(Controller):
    path = "/items"

    @post("/{item_id:str}", sync_to_thread=False)
    def put_item(self, item_id: FromPath[str]) -> None:
        return None

    @get("/{item_id:str}", sync_to_thread=False)
    def get_item(self, item_id: FromPath[str]) -> str:
        return item_id


def app() -> Litestar:
    settings = BaseSettings(service_name="options", log_json=False)
    return kernel_app(
        settings, [list_things, add_thing, clear_things, ItemController], database=False, nats=False, auth=False
    )


def test_options_lists_every_handler_of_a_path() -> None:
    with TestClient(app()) as client:
        response = client.options("/things")
    assert response.status_code == 204
    assert response.headers["allow"] == "DELETE, GET, OPTIONS, POST"


def test_options_lists_every_handler_of_a_controller_path() -> None:
    with TestClient(app()) as client:
        response = client.options("/items/a1")
        single = client.options("/healthz")
    assert response.status_code == 204
    assert response.headers["allow"] == "GET, OPTIONS, POST"
    assert single.headers["allow"] == "GET, OPTIONS"
