"""单位信息 pages (技术人员信息, 技术装备信息, 测绘业绩信息) served by the gateway with the real identity
service behind it: a unit's user gets each page with its form; a visitor who is not signed in,
or is signed in but is no unit's user, is sent to 登录."""

from __future__ import annotations

import re

import msgspec
import pytest

from contracts.identity.api import LoginResult
from contracts.staffing.api import EquipmentCreate, PersonCreate, ProjectCreate
from tests.builders.identity import PASSWORD

PAGES: dict[str, tuple[str, type[msgspec.Struct]]] = {
    "/roster/persons": ("技术人员信息", PersonCreate),
    "/roster/equipment": ("技术装备信息", EquipmentCreate),
    "/roster/projects": ("测绘业绩信息", ProjectCreate),
}


@pytest.mark.parametrize("path", PAGES)
async def test_a_visitor_who_is_not_signed_in_is_sent_to_log_in(launch, identity, path) -> None:
    gateway = await launch(identity=identity.url)
    async with gateway.client() as client:
        response = await client.get(path)
    assert response.is_redirect
    assert response.headers["location"] == "/login"


async def test_an_authority_user_is_sent_to_log_in(launch, identity) -> None:
    gateway = await launch(identity=identity.url)
    signed_in = LoginResult(account_id="a-1", username="reviewer", role="authority", jurisdiction="110000")
    cookie = await gateway.app.state.sessions.login(signed_in, previous=None)
    async with gateway.client(cookies={gateway.settings.session_cookie: cookie}) as client:
        home = await client.get("/")
        assert home.is_redirect and home.headers["location"] == "/review"  # a live session: to 待办
        for path in PAGES:
            response = await client.get(path)
            assert response.is_redirect, path
            assert response.headers["location"] == "/login"


async def test_a_units_user_gets_each_page_with_its_whole_form(launch, identity, portal) -> None:
    gateway = await launch(identity=identity.url)
    account = await identity.register()
    visitor = portal(gateway)
    assert (await visitor.login(account.username, PASSWORD)).status_code == 303

    for path, (title, create) in PAGES.items():
        response = await visitor.http.get(path)
        assert response.status_code == 200, path
        html = response.text
        assert f'<h1 class="page-title">{title}</h1>' in html
        assert account.unit_name in html
        assert re.search(rf'<a href="{path}" class="active" aria-current="page">{title}</a>', html)
        assert f'data-api="/api/staffing/{path.rsplit("/", 1)[1]}"' in html
        named = set(re.findall(r'<(?:input|select)[^>]* name="([a-z_]+)"', html))
        wanted = {field.name for field in msgspec.structs.fields(create)} - {"documents"}
        assert wanted <= named, f"{path} lacks {wanted - named}"
        assert response.headers["cache-control"] == "no-store"
        assert "default-src 'self'" in response.headers["content-security-policy"]
        assert '<script type="module" src="/static/js/roster.js"></script>' in html


async def test_the_page_scripts_are_served_as_modules(launch, identity) -> None:
    gateway = await launch(identity=identity.url)
    async with gateway.client() as client:
        for name in ("roster.js", "roster/dom.js", "roster/entry.js", "roster/attachments.js", "roster/list.js"):
            response = await client.get(f"/static/js/{name}")
            assert response.status_code == 200, name
            assert "javascript" in response.headers["content-type"], name
