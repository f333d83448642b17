"""The applications pages send each visitor where they belong: a unit to its 工作列表 and 信息填报,
an authority (or the administrator) to 待办 and 审查; a unit asking for /review gets 404, as for a
page that does not exist; an anonymous visitor goes to 登录. The shells carry what their scripts
need (the work's id, the API roots) and no script from elsewhere."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from litestar import Litestar, Request
from litestar.di import Provide
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.template.config import TemplateConfig
from litestar.testing import TestClient

from deploy.local.components import free_port
from gateway.csrf import CsrfGuard
from gateway.portal.fill_pages import FillPagesController
from gateway.portal.review_pages import ReviewPagesController
from gateway.portal.work_pages import WorkPagesController
from gateway.sessions import Session
from gateway.settings import GatewaySettings
from services.kernel import Runtime, TokenMinter, TokenSigner, load_settings

TEMPLATES = Path(__file__).resolve().parents[3] / "gateway" / "portal" / "templates"
WORK = str(uuid.uuid4())
SESSIONS = {
    "unit": Session(
        key="a" * 64, account_id="u1", role="unit", username="unit1", unit_id="unit-1", unit_name="某测绘院"
    ),
    "authority": Session(key="b" * 64, account_id="a1", role="authority", username="bj", jurisdiction="110000"),
    "admin": Session(key="c" * 64, account_id="r1", role="admin", username="admin", jurisdiction="000000"),
    "unitless": Session(key="d" * 64, account_id="u2", role="unit", username="unit2"),
}


async def _session(request: Request[Any, Any, Any]) -> Session | None:
    return SESSIONS.get(request.headers.get("x-test-as", ""))


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient[Litestar]]:
    # applications is not running: the administrator's 待办 is served without its 放假安排 reminder.
    settings = load_settings(GatewaySettings, {"APPLICATIONS_URL": f"http://127.0.0.1:{free_port()}"})
    runtime = Runtime(settings=settings, needs_database=False, needs_nats=False)
    minter = TokenMinter.for_signer(TokenSigner.from_settings(settings), settings.token_ttl_seconds)
    app = Litestar(
        route_handlers=[WorkPagesController, FillPagesController, ReviewPagesController],
        dependencies={"session": Provide(_session), "tokens": Provide(lambda: minter, sync_to_thread=False)},
        template_config=TemplateConfig(directory=TEMPLATES, engine=JinjaTemplateEngine),
        on_startup=[runtime.service_client().start],
        on_shutdown=[runtime.service_client().aclose],
    )
    app.state.csrf = CsrfGuard(b"k" * 32)
    app.state.settings = settings
    app.state.runtime = runtime
    with TestClient(app) as test_client:
        yield test_client


def _get(client: TestClient[Litestar], path: str, who: str | None) -> Any:
    return client.get(path, headers={"x-test-as": who} if who else {}, follow_redirects=False)


@pytest.mark.parametrize(
    ("path", "who", "status", "location"),
    [
        ("/", None, 302, "/login"),
        ("/", "unit", 200, None),
        ("/work", "unit", 200, None),
        ("/", "authority", 302, "/review"),
        ("/", "admin", 302, "/review"),
        ("/", "unitless", 302, "/login"),
        (f"/work/{WORK}", None, 302, "/login"),
        (f"/work/{WORK}", "unit", 200, None),
        (f"/work/{WORK}", "authority", 302, f"/review/{WORK}"),
        ("/work/not-a-work", "unit", 404, None),
        ("/review", None, 302, "/login"),
        ("/review", "unit", 404, None),
        ("/review", "authority", 200, None),
        ("/review", "admin", 200, None),
        (f"/review/{WORK}", "unit", 404, None),
        (f"/review/{WORK}", "authority", 200, None),
        ("/review/not-a-work", "authority", 404, None),
    ],
)
def test_each_visitor_lands_where_their_role_belongs(
    client: TestClient[Litestar], path: str, who: str | None, status: int, location: str | None
) -> None:
    response = _get(client, path, who)

    assert response.status_code == status
    if location:
        assert response.headers["location"] == location


def test_a_unit_asking_for_review_reads_the_same_404_as_a_missing_page(client: TestClient[Litestar]) -> None:
    review = _get(client, "/review", "unit")
    missing = _get(client, "/work/not-a-work", "unit")

    assert "页面不存在" in review.text
    assert review.text.count("页面不存在") == missing.text.count("页面不存在")
    assert "待办" not in review.text  # the unit's navigation, not the authority's


@pytest.mark.parametrize(
    ("path", "who", "marks"),
    [
        ("/", "unit", ('data-work-list data-api="/api/applications"', "/static/js/work.js", "新建工作", "工作列表")),
        (f"/work/{WORK}", "unit", (f'data-work="{WORK}"', "/static/js/work/fill.js", "data-upload", "提交")),
        ("/review", "authority", ("data-review-queue", "/static/js/review.js", "仅显示已逾期", 'href="/review"')),
        (f"/review/{WORK}", "admin", (f'data-work="{WORK}"', "/static/js/review.js", "审批记录")),
    ],
)
def test_each_shell_carries_what_its_script_needs(
    client: TestClient[Litestar], path: str, who: str, marks: tuple[str, ...]
) -> None:
    response = _get(client, path, who)

    assert response.status_code == 200
    for mark in (*marks, "/static/css/work.css", 'name="csrf-token"'):
        assert mark in response.text, mark
    assert "http://" not in response.text and "https://" not in response.text


def test_the_navigation_offers_each_role_its_own_pages(client: TestClient[Litestar]) -> None:
    unit = _get(client, "/", "unit").text
    authority = _get(client, "/review", "authority").text

    assert 'href="/roster/persons"' in unit and 'href="/review"' not in unit
    assert 'href="/review"' in authority and 'href="/roster/persons"' not in authority
