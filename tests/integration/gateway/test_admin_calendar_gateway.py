"""系统管理 → 放假安排 through the gateway, with the real applications service behind it (PostgreSQL
and a NATS of this module's own; staffing, documents and standards are called only on 提交, so
nothing serves them): the administrator loads a year's 放假通知 on the page and the page then shows
it, nobody else opens or posts the page, and a bad line is refused at its field with nothing written."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from contracts.identity.api import LoginResult
from deploy.local.components import NatsServer
from services.applications import clock
from services.applications.app import create_app as create_applications
from services.applications.settings import ApplicationsSettings
from services.kernel import BaseSettings
from tests.fixtures.gateway import Portal, RealIdentity, RunningGateway
from tests.fixtures.portal_forms import csrf_in
from tests.fixtures.servers import serve

NOTICE_2027 = {
    "source": "国务院办公厅关于2027年部分节假日安排的通知",
    "rest_days": "2027-01-01 元旦\r\n\r\n2027-02-06~2027-02-12 春节",
    "work_days": "2027-02-14 春节",
}


@dataclass(frozen=True)
class Applications:
    url: str
    http: httpx.AsyncClient

    async def year(self, year: int, headers: dict[str, str]) -> dict[str, Any]:
        """The year as applications keeps it (GET /calendar/{year}, straight to the service)."""
        answer = await self.http.get(f"/calendar/{year}", headers=headers)
        assert answer.status_code == 200, answer.text
        body: dict[str, Any] = answer.json()
        return body


@pytest.fixture(scope="module")
def calendar_nats(tmp_path_factory: pytest.TempPathFactory) -> Iterator[NatsServer]:
    """A NATS of this module's own: applications' consumers start from each stream's first event."""
    server = NatsServer(tmp_path_factory.mktemp("calendar-nats")).start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
async def applications(
    settings_for: Callable[..., BaseSettings], calendar_nats: NatsServer
) -> AsyncIterator[Applications]:
    """The real applications service on its own port, once for the module (each test its own years)."""
    settings = settings_for(ApplicationsSettings, service="applications", nats_url=calendar_nats.url)
    async with serve(create_applications(settings)) as url, httpx.AsyncClient(base_url=url, timeout=30) as http:
        yield Applications(url=url, http=http)


@pytest.fixture
async def gateway(launch: Any, applications: Applications) -> RunningGateway:
    gateway: RunningGateway = await launch(applications=applications.url)
    return gateway


async def signed_in_as(gateway: RunningGateway, portal: Any, role: str, **fields: Any) -> Portal:
    """A visitor with a live session of ``role`` (no password login needed)."""
    result = LoginResult(account_id=str(uuid.uuid4()), username=f"{role}{uuid.uuid4().hex[:6]}", role=role, **fields)  # type: ignore[arg-type]
    cookie = await gateway.app.state.sessions.login(result, previous=None)
    visitor: Portal = portal(gateway)
    visitor.http.cookies.set(gateway.settings.session_cookie, cookie)
    return visitor


async def admin_of(gateway: RunningGateway, portal: Any) -> Portal:
    return await signed_in_as(gateway, portal, "admin", jurisdiction="000000", org_name="自然资源部")


def field_error(html: str, field: str) -> str | None:
    match = re.search(rf'<p class="field-error" id="e-{field}">([^<]*)</p>', html)
    return match.group(1) if match else None


async def test_the_administrator_loads_a_year_and_the_page_shows_it(
    gateway: RunningGateway, portal: Any, applications: Applications, sign: Callable[..., dict[str, str]]
) -> None:
    admin = await admin_of(gateway, portal)
    seeded = (await admin.http.get("/admin/calendar?year=2026")).text
    assert "已载入" in seeded and "国庆节" in seeded
    assert "依据：国务院办公厅放假安排（2004–2026年）；系统安装时载入" in seeded
    assert "chinese_calendar" not in seeded and "chinese-calendar" not in seeded  # no package's name
    assert re.search(r'<a href="/admin/calendar" class="admin-tab active" aria-current="page">放假安排</a>', seeded)

    before = await admin.http.get("/admin/calendar?year=2027")
    assert before.status_code == 200 and "2027年放假安排尚未载入" in before.text
    form = {**NOTICE_2027, "_csrf": csrf_in(before.text)}
    loaded = await admin.http.post("/admin/calendar?year=2027", data=form)
    assert (loaded.status_code, loaded.headers["location"]) == (303, "/admin/calendar?year=2027&notice=loaded")

    after = (await admin.http.get(loaded.headers["location"])).text
    assert "已载入2027年放假安排，共 9 天（休息日 8 天，调休上班 1 天）" in after and "重新计算" in after
    assert "2027-02-06 至 2027-02-12" in after and "2027-02-14（星期日）" in after
    assert "2027年放假安排尚未载入" not in after
    year = await applications.year(2027, sign(role="admin"))
    assert year["loaded"] and year["source"] == NOTICE_2027["source"]
    assert [day["day"] for day in year["work_days"]] == ["2027-02-14"] and len(year["rest_days"]) == 8
    assert f"载入人：{year['loaded_by']}" in after


async def test_nobody_but_the_administrator_opens_or_posts_the_page(
    gateway: RunningGateway, portal: Any, applications: Applications, sign: Callable[..., dict[str, str]]
) -> None:
    async with gateway.client() as anonymous:
        assert (await anonymous.get("/admin/calendar?year=2029")).headers["location"] == "/login"
    for role, home, fields in (
        ("unit", "/", {"unit_id": str(uuid.uuid4())}),
        ("authority", "/review", {"jurisdiction": "000000", "roles": ["acceptance", "review", "approval"]}),
    ):
        visitor = await signed_in_as(gateway, portal, role, **fields)
        answer = await visitor.http.get("/admin/calendar?year=2029")
        assert (answer.status_code, answer.headers["location"]) == (303, "/"), role
        form = {**NOTICE_2027, "rest_days": "2029-01-01 元旦", "work_days": "", "_csrf": await visitor.page_token(home)}
        posted = await visitor.http.post("/admin/calendar?year=2029", data=form)
        assert (posted.status_code, posted.headers["location"]) == (303, "/"), role
    assert not (await applications.year(2029, sign(role="admin")))["loaded"]


@pytest.mark.parametrize(
    ("field", "typed", "message"),
    [
        ("rest_days", "2028-01-01 元旦\n2028-02-30 春节", "第2行：2028-02-30 不是有效日期"),
        ("rest_days", "2028-01-01~2028-01-03 元旦\n2029-01-01", "2029-01-01 不在2028年内"),
        ("work_days", "2028-01-01", "2028-01-01 同时列为休息日和调休上班日"),
        ("work_days", "2028-02-07 春节", "2028-02-07 是周一至周五，不是调休上班日"),
    ],
    ids=["not-a-date", "outside-the-year", "in-both-lists", "weekday-as-work-day"],
)
async def test_a_bad_date_is_refused_at_its_field_and_nothing_is_written(
    gateway: RunningGateway,
    portal: Any,
    applications: Applications,
    sign: Callable[..., dict[str, str]],
    field: str,
    typed: str,
    message: str,
) -> None:
    admin = await admin_of(gateway, portal)
    token = csrf_in((await admin.http.get("/admin/calendar?year=2028")).text)
    form = {"source": "2028年放假通知", "rest_days": "2028-01-01 元旦", "work_days": "", field: typed, "_csrf": token}
    answer = await admin.http.post("/admin/calendar?year=2028", data=form)
    assert answer.status_code == 400, answer.text
    assert message in (field_error(answer.text, field) or ""), answer.text
    assert typed.split("\n")[-1] in answer.text  # what was typed stays, to correct
    assert not (await applications.year(2028, sign(role="admin")))["loaded"]


async def test_the_administrator_is_reminded_with_a_link_and_an_authority_is_not(
    launch: Any, portal: Any, applications: Applications, identity: RealIdentity, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Applications' clock fixed on 2032-12-07 (no year of this module's tests: neither 2032 nor 2033
    is loaded): 系统管理's two pages and the administrator's 待办 remind of both with their links;
    an authority's 待办 does not (its rows warn of their own deadlines)."""
    monkeypatch.setattr(clock, "today", lambda: dt.date(2032, 12, 7))
    gateway: RunningGateway = await launch(applications=applications.url, identity=identity.url)
    admin = await admin_of(gateway, portal)
    for path in ("/admin/accounts", "/admin/calendar?year=2026", "/review"):
        answer = await admin.http.get(path)
        assert answer.status_code == 200, path
        assert "2032年、2033年放假安排尚未载入" in answer.text, path
        for year in (2032, 2033):
            assert f'<a href="/admin/calendar?year={year}#load-heading">载入{year}年放假安排</a>' in answer.text, path
    roles = {"jurisdiction": "110000", "roles": ["acceptance", "review", "approval"]}
    officer = await signed_in_as(gateway, portal, "authority", **roles)
    queue = await officer.http.get("/review")
    assert queue.status_code == 200 and "放假安排尚未载入" not in queue.text and "calendar-reminder" not in queue.text
