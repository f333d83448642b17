"""证书登记 pages by role: 我的资质证书 only for a unit's user, 资质证书登记 only for an authority (or
the administrator), 证书查验 for anyone; a visitor without a session is sent to 登录, one of
another role home. The shells carry what their scripts need, escaped, and the filters of the
register are the registry's own query parameters and vocabularies."""

from __future__ import annotations

import inspect
from collections.abc import Iterator
from pathlib import Path
from typing import Any, get_args

import pytest
from litestar import Litestar, Request
from litestar.datastructures import State
from litestar.di import Provide
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.template.config import TemplateConfig
from litestar.testing import TestClient

from contracts.registry.api import CertificateStatus
from contracts.types import CertificateType
from gateway.csrf import CsrfGuard
from gateway.portal import registry_pages
from gateway.portal.registry_pages import FILTERS, RegistryPagesController
from gateway.sessions import Session
from gateway.settings import GatewaySettings
from services.registry.api import register as registry_register_api

TEMPLATES = Path(__file__).resolve().parents[3] / "gateway" / "portal" / "templates"
SESSIONS = {
    "unit": Session(key="a" * 64, account_id="acc-u", role="unit", username="unita", unit_id="u-1", unit_name="甲单位"),
    "authority": Session(
        key="b" * 64,
        account_id="acc-a",
        role="authority",
        username="bj",
        unit_name="北京市规划和自然资源委员会",
        jurisdiction="110000",
    ),
    "admin": Session(key="c" * 64, account_id="acc-m", role="admin", username="admin", jurisdiction="000000"),
}
NUMBER = "甲测资字11000001"


def _session(request: Request[Any, Any, Any]) -> Session | None:
    return SESSIONS.get(request.headers.get("x-test-role", ""))


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient[Litestar]]:
    settings = GatewaySettings()
    app = Litestar(
        route_handlers=[RegistryPagesController],
        state=State({"settings": settings, "csrf": CsrfGuard(b"k" * 32)}),
        dependencies={"session": Provide(_session, sync_to_thread=False)},
        template_config=TemplateConfig(directory=TEMPLATES, engine=JinjaTemplateEngine),
    )
    with TestClient(app) as test_client:
        yield test_client


def _get(client: TestClient[Litestar], path: str, role: str = "") -> Any:
    return client.get(path, headers={"x-test-role": role} if role else {}, follow_redirects=False)


SIGNED_IN_PAGES = [
    ("/certificates", {"unit"}),
    ("/registry", {"authority", "admin"}),
    (f"/registry/{NUMBER}", {"authority", "admin"}),
]


@pytest.mark.parametrize(("path", "allowed"), SIGNED_IN_PAGES, ids=["certificates", "registry", "registry-detail"])
def test_a_signed_in_page_opens_only_for_its_roles(client: TestClient[Litestar], path: str, allowed: set[str]) -> None:
    assert _get(client, path).headers["location"] == "/login"
    for role in SESSIONS:
        response = _get(client, path, role)
        if role in allowed:
            assert response.status_code == 200, (role, response.text)
            assert response.headers["cache-control"] == "no-store"
        else:
            assert (response.status_code, response.headers["location"]) == (302, "/"), role


def test_a_unit_user_without_a_unit_does_not_get_the_unit_page(client: TestClient[Litestar]) -> None:
    SESSIONS["orphan"] = Session(key="d" * 64, account_id="acc-o", role="unit", username="o", unit_id=None)
    try:
        assert _get(client, "/certificates", "orphan").headers["location"] == "/"
    finally:
        del SESSIONS["orphan"]


@pytest.mark.parametrize("role", ["", "unit", "authority"])
def test_verify_is_open_to_anyone(client: TestClient[Litestar], role: str) -> None:
    response = _get(client, "/verify", role)

    assert response.status_code == 200
    assert 'data-verify data-api="/api/registry"' in response.text
    assert 'name="csrf-token" content=""' not in response.text


def test_an_anonymous_visitor_gets_a_nonce_so_the_pdf_upload_passes_csrf(client: TestClient[Litestar]) -> None:
    fresh = TestClient(client.app)
    with fresh:
        response = fresh.get("/verify")

    assert "qual_csrf" in response.headers.get("set-cookie", "")


def test_verify_prefills_the_number_of_a_qr_link_escaped_and_bounded(client: TestClient[Litestar]) -> None:
    found = client.get("/verify", params={"number": f"  {NUMBER} "})
    hostile = client.get("/verify", params={"number": '"><script>alert(1)</script>'})

    assert f'value="{NUMBER}"' in found.text
    assert "<script>alert" not in hostile.text
    assert 'value="&#34;&gt;&lt;script&gt;alert(1' in hostile.text  # cut at the longest number


def test_the_detail_page_names_its_number_escaped(client: TestClient[Litestar]) -> None:
    response = _get(client, "/registry/%3Cb%3Ex", "authority")

    assert 'data-number="&lt;b&gt;x"' in response.text
    assert "<b>x" not in response.text


def test_each_page_is_in_its_menu_and_verify_is_linked_for_everyone(client: TestClient[Litestar]) -> None:
    unit = _get(client, "/certificates", "unit").text
    authority = _get(client, "/registry", "authority").text
    anonymous = _get(client, "/verify").text

    assert 'href="/certificates" class="active" aria-current="page">我的资质证书' in unit
    assert 'href="/registry"' not in unit
    assert 'href="/registry" class="active" aria-current="page">资质证书登记' in authority
    assert 'href="/certificates"' not in authority
    for html in (unit, authority, anonymous):
        assert '<a href="/verify">证书查验</a>' in html
        assert 'href="/static/css/registry.css"' in html


def test_the_register_filters_are_the_registry_query_parameters() -> None:
    parameters = set(inspect.signature(registry_register_api._filters).parameters) - {"caller"}

    assert {field.name for field in FILTERS} == parameters


def test_the_register_choices_are_the_contract_vocabularies(client: TestClient[Litestar]) -> None:
    html = _get(client, "/registry", "authority").text
    choices = {field.name: field.options for field in FILTERS if field.kind == "select"}

    assert choices == {
        "certificate_type": get_args(CertificateType),
        "status": get_args(CertificateStatus),
    }
    for field in FILTERS:
        assert f'<label class="form-label" for="register-f-{field.name}">{field.label}</label>' in html
        assert f'id="register-e-{field.name}" data-error-for="{field.name}"' in html
    for option in (*get_args(CertificateType), *get_args(CertificateStatus)):
        assert f"<option>{option}</option>" in html


def test_the_number_filter_takes_any_number_the_registry_takes() -> None:
    number = next(field for field in FILTERS if field.name == "number")

    assert number.maxlength == registry_pages.NUMBER_MAX_LENGTH >= len(NUMBER)
