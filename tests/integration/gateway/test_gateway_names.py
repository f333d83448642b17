"""Who the header says is signed in: a unit's name on record, kept current in its live sessions by
identity's UnitVerified (基本信息变更 approved: manual 5.3 经批准后系统自动更新, no new sign-in), and
an authority's 机关名称 with its account, never the login name twice."""

from __future__ import annotations

import re
import uuid
from collections.abc import AsyncIterator, Iterator
from typing import Any

import msgspec
import pytest

from contracts.identity.api import LoginResult
from contracts.identity.events import UnitVerified
from contracts.subjects import subject_for
from deploy.local.components import NatsServer
from services.kernel.nats import NatsLink
from tests.fixtures.gateway import Portal, RunningGateway
from tests.fixtures.waiting import eventually


@pytest.fixture(scope="module")
def own_nats(tmp_path_factory: pytest.TempPathFactory) -> Iterator[NatsServer]:
    """A NATS server of this module's own: the e2e platform's gateway, still running on the
    session's server, shares the durable gateway-units-verified and would take the events."""
    server = NatsServer(tmp_path_factory.mktemp("gateway-names-nats")).start()
    yield server
    server.stop()


@pytest.fixture
async def link(own_nats: NatsServer) -> AsyncIterator[NatsLink]:
    link = NatsLink(own_nats.url, name="gateway-names-test")
    await link.connect()
    await link.ensure_stream("identity")  # identity's stream, as identity declares it
    yield link
    await link.close()


async def signed_in(gateway: RunningGateway, portal: Any, result: LoginResult) -> Portal:
    cookie = await gateway.app.state.sessions.login(result, previous=None)
    visitor: Portal = portal(gateway)
    visitor.http.cookies.set(gateway.settings.session_cookie, cookie)
    return visitor


def a_unit(name: str) -> LoginResult:
    ref = uuid.uuid4().hex[:8]
    return LoginResult(
        account_id=str(uuid.uuid4()), username=f"u{ref}", role="unit", unit_id=str(uuid.uuid4()), unit_name=name
    )


def renamed(unit: LoginResult, name: str) -> UnitVerified:
    assert unit.unit_id is not None
    return UnitVerified(
        aggregate_id=unit.unit_id,
        unit_id=unit.unit_id,
        unit_name=name,
        credit_code="91110108MA01ABCD9X",
        application_id=str(uuid.uuid4()),
    )


async def publish(link: NatsLink, event: UnitVerified, *, msg_id: str | None = None) -> None:
    headers = {"Nats-Msg-Id": msg_id or str(event.event_id)}
    await link.js.publish(subject_for(UnitVerified), msgspec.json.encode(event), headers=headers)


def header_name(html: str) -> str:
    found = re.search(r'<span class="user-name" title="当前用户">([^<]*)</span>', html)
    assert found, html[:2000]
    return found.group(1)


def subtitle(html: str) -> str:
    found = re.search(r'<p class="page-subtitle">([^<]*)</p>', html)
    assert found, html[:2000]
    return found.group(1)


async def test_an_approved_change_of_name_reaches_the_live_session_without_signing_in_again(
    launch: Any, portal: Any, link: NatsLink
) -> None:
    gateway = await launch(nats_url=link.url)
    unit, other = a_unit("旧名称测绘有限公司"), a_unit("另一测绘有限公司")
    visitor, bystander = await signed_in(gateway, portal, unit), await signed_in(gateway, portal, other)
    home = await visitor.http.get("/")
    assert (header_name(home.text), subtitle(home.text)) == ("旧名称测绘有限公司", "旧名称测绘有限公司")

    event = renamed(unit, "新名称测绘有限公司")
    await publish(link, event)

    async def shows_the_new_name() -> bool:
        return header_name((await visitor.http.get("/")).text) == "新名称测绘有限公司"

    await eventually(shows_the_new_name)
    for path in ("/", "/certificates"):  # 测绘资质办理 and 我的资质证书: the header and the heading
        html = (await visitor.http.get(path)).text
        assert (header_name(html), subtitle(html)) == ("新名称测绘有限公司", "新名称测绘有限公司"), path
        assert "旧名称测绘有限公司" not in html
    assert header_name((await bystander.http.get("/")).text) == "另一测绘有限公司"

    # Kept in the sessions table, not only in this worker's cache: another worker reads the new name.
    rows = await gateway.pool.fetch("SELECT unit_name FROM sessions WHERE unit_id = $1", unit.unit_id)
    assert [row["unit_name"] for row in rows] == ["新名称测绘有限公司"]
    # Through the inbox: a redelivery of an older event does nothing twice.
    await publish(link, renamed(unit, "新名称测绘有限公司"))
    await publish(link, event, msg_id=f"again-{event.event_id}")

    async def consumed() -> bool:
        count = await gateway.pool.fetchval(
            "SELECT count(*) FROM inbox WHERE consumer = 'gateway-units-verified' AND event_id = $1", event.event_id
        )
        return bool(count == 1)

    await eventually(consumed)


async def test_an_authoritys_header_names_its_office_and_its_account(
    launch: Any, portal: Any, own_nats: NatsServer
) -> None:
    gateway = await launch(nats_url=own_nats.url)
    officer = LoginResult(
        account_id=str(uuid.uuid4()),
        username="bj_reviewer",
        role="authority",
        jurisdiction="110000",
        roles=["acceptance"],
        org_name="北京市规划和自然资源委员会",
    )
    visitor = await signed_in(gateway, portal, officer)
    html = (await visitor.http.get("/review")).text
    assert header_name(html) == "北京市规划和自然资源委员会"
    assert '<span class="user-account">bj_reviewer</span>' in html
    assert html.count("bj_reviewer") == 1
