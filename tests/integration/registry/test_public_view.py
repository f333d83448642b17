"""The in-memory public view (证书查验, ``public_view.py``): it follows the register through the
database's notifications — an issue, a 资质注销, a change made by another process, a bulk load (one
``*``: everything reloaded) — answers a cached number without the database, answers unknown and
malformed numbers with the same calm 404, falls back to the database and reloads when its
connection is killed, and is not there when REGISTRY_PUBLIC_VIEW is false."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import AsyncIterator, Callable

import httpx
import msgspec
import pytest

from deploy.local.components import NatsServer
from services.kernel import BaseSettings, Runtime
from services.registry.app import create_app
from services.registry.handlers import approvals
from services.registry.public_view import APPLICATION_NAME, CHANNEL, PublicView
from services.registry.repository.legacy import CERTIFICATE_COLUMNS
from services.registry.settings import RegistrySettings
from tests.fixtures.apps import client_of, started
from tests.fixtures.waiting import eventually

from .conftest import Headers, Registry, approval

Sign = Callable[..., Headers]
NOT_FOUND = {"code": "registry.certificate_not_found", "message": "未查询到该证书", "details": None}


def view_of(registry: Registry) -> PublicView:
    runtime = registry.app.state.runtime
    assert isinstance(runtime, Runtime)
    [view] = runtime.components
    assert isinstance(view, PublicView)
    return view


async def loaded(registry: Registry) -> PublicView:
    view = view_of(registry)

    async def ready() -> bool:
        return view.loaded

    await eventually(ready)
    return view


async def public(client: httpx.AsyncClient, number: str, sign: Sign) -> httpx.Response:
    return await client.get(f"/public/certificates/{number}", headers=sign(account_id="gateway", role="system"))


async def shows(registry: Registry, number: str, sign: Sign, **expected: str) -> None:
    """Wait until the public API shows ``expected`` for ``number``."""

    async def matches() -> bool:
        answer = await public(registry.client, number, sign)
        return answer.status_code == 200 and all(answer.json()[k] == v for k, v in expected.items())

    await eventually(matches)


async def cached(view: PublicView, number: str) -> None:
    """Wait until the view answers for ``number`` from memory."""

    async def held() -> bool:
        return view.answers(number) and view.get(number) is not None

    await eventually(held)


async def issued(registry: Registry, sign: Sign) -> str:
    event = approval()
    await registry.deliver(event)
    number = str((await registry.certificate(event.unit_id))["number"])
    await shows(registry, number, sign, status="有效")
    return number


async def rename_unnoticed(registry: Registry, number: str, unit_name: str) -> None:
    """Change the register without a notification (the trigger off for this transaction only)."""
    conn = await registry.db()
    try:
        async with conn.transaction():
            await conn.execute("ALTER TABLE certificates DISABLE TRIGGER certificates_public_updated")
            await conn.execute("UPDATE certificates SET unit_name = $2 WHERE number = $1", number, unit_name)
            await conn.execute("ALTER TABLE certificates ENABLE TRIGGER certificates_public_updated")
    finally:
        await conn.close()


async def test_the_view_follows_an_issue_and_a_cancellation(registry: Registry, sign: Sign) -> None:
    view = await loaded(registry)
    issue = approval()
    await registry.deliver(issue)
    number = str((await registry.certificate(issue.unit_id))["number"])
    await shows(registry, number, sign, status="有效", unit_name="北京测绘有限公司")
    await cached(view, number)

    await registry.deliver(approval("资质注销", unit_id=issue.unit_id, number=number, reason="单位申请注销"))
    await shows(registry, number, sign, status="已注销")
    await cached(view, number)
    assert b'"status":"\xe5\xb7\xb2\xe6\xb3\xa8\xe9\x94\x80"' in (view.get(number) or b"")  # 已注销


async def test_a_change_made_by_another_process_reaches_the_view(registry: Registry, sign: Sign) -> None:
    view = await loaded(registry)
    number = await issued(registry, sign)
    await cached(view, number)
    conn = await registry.db()
    try:
        await conn.execute("UPDATE certificates SET status = '已过期' WHERE number = $1", number)
    finally:
        await conn.close()
    await shows(registry, number, sign, status="已过期")
    await cached(view, number)


async def test_a_bulk_load_is_one_reload_of_everything(registry: Registry, sign: Sign) -> None:
    view = await loaded(registry)
    number = await issued(registry, sign)
    base = 4_400_000 + uuid.uuid4().int % 1_000_000
    numbers = [f"丁测资字{base + i:07d}" for i in range(250)]
    categories = [{"category": "工程测量", "level": "丁级", "sub_items": []}]
    same = (
        "丁级资质证书",
        "丁级",
        "legacy",
        None,
        "91440100MA01ABCD1X",
        "广东测绘有限公司",
        "440000",
        "广东省国土资源厅",
    )
    rows = [(uuid.uuid4(), n, *same, categories, dt.date(2017, 1, 1), dt.date(2099, 12, 31), "有效") for n in numbers]
    heard: list[str] = []
    listener, loader = await registry.db(), await registry.db()
    try:
        await listener.add_listener(CHANNEL, lambda *args: heard.append(args[-1]))
        await loader.set_type_codec(  # COPY is binary: jsonb's binary format is version 1, then the text
            "jsonb",
            encoder=lambda value: b"\x01" + msgspec.json.encode(value),
            decoder=lambda data: msgspec.json.decode(data[1:]),
            schema="pg_catalog",
            format="binary",
        )
        await loader.copy_records_to_table("certificates", records=rows, columns=CERTIFICATE_COLUMNS)

        async def every_one_shown() -> bool:
            return view.loaded and all(view.get(n) is not None for n in numbers)

        await eventually(every_one_shown)
        await listener.execute("SELECT 1")  # whatever was notified has arrived
        assert heard == ["*"]
    finally:
        await listener.close()
        await loader.close()
    for sample in (numbers[0], numbers[-1]):
        answer = await public(registry.client, sample, sign)
        assert (answer.status_code, answer.json()["level"]) == (200, "丁级"), answer.text
    assert view.answers(number) and view.get(number) is not None


async def test_a_cached_number_is_answered_without_the_database(registry: Registry, sign: Sign) -> None:
    view = await loaded(registry)
    number = await issued(registry, sign)
    await cached(view, number)
    await rename_unnoticed(registry, number, "改名未通知测绘有限公司")
    for _ in range(3):
        answer = await public(registry.client, number, sign)
        assert answer.json()["unit_name"] == "北京测绘有限公司"  # from memory: the database says otherwise
    conn = await registry.db()
    try:
        await conn.execute("SELECT pg_notify($1, $2)", CHANNEL, number)
    finally:
        await conn.close()
    await shows(registry, number, sign, unit_name="改名未通知测绘有限公司")


async def test_a_notified_number_is_dropped_at_once_and_read_again(registry: Registry, sign: Sign) -> None:
    view = await loaded(registry)
    number = await issued(registry, sign)
    await cached(view, number)
    await rename_unnoticed(registry, number, "通知后重新读取的名称")
    view.changed(number)  # what the listener does with the notification, before any await
    assert (view.get(number), view.answers(number), view.loaded) == (None, False, True)
    answer = await public(registry.client, number, sign)  # from the database meanwhile
    assert answer.json()["unit_name"] == "通知后重新读取的名称"
    await cached(view, number)
    assert "通知后重新读取的名称".encode() in (view.get(number) or b"")


@pytest.mark.parametrize("number", ["甲测资字11999999", "not-a-number", "甲测资字11", "%27%20OR%201%3D1"])
async def test_unknown_and_malformed_numbers_answer_the_same_404_loaded_or_not(
    registry: Registry, sign: Sign, number: str
) -> None:
    view = await loaded(registry)
    answer = await public(registry.client, number, sign)
    assert (answer.status_code, answer.json()) == (404, NOT_FOUND)
    await view.stop()
    assert not view.loaded
    answer = await public(registry.client, number, sign)
    assert (answer.status_code, answer.json()) == (404, NOT_FOUND)


async def test_a_stopped_view_leaves_the_reads_to_the_database(registry: Registry, sign: Sign) -> None:
    view = await loaded(registry)
    number = await issued(registry, sign)
    await cached(view, number)
    await view.stop()
    await rename_unnoticed(registry, number, "数据库里的新名称")
    answer = await public(registry.client, number, sign)
    assert answer.json()["unit_name"] == "数据库里的新名称"


async def listening_pid(registry: Registry) -> int | None:
    rows = await registry.fetch(
        "SELECT pid FROM pg_stat_activity WHERE application_name = $1 AND datname = $2",
        APPLICATION_NAME,
        registry.settings.database_name,
    )
    return int(rows[0]["pid"]) if rows else None


async def test_a_killed_listener_is_replaced_and_the_view_reloaded(
    registry: Registry, sign: Sign, caplog: pytest.LogCaptureFixture
) -> None:
    view = await loaded(registry)
    number = await issued(registry, sign)
    await cached(view, number)
    killed = await listening_pid(registry)
    assert killed is not None
    await rename_unnoticed(registry, number, "断线期间改的名称")  # the view holds the old name
    await registry.fetch("SELECT pg_terminate_backend($1)", killed)

    await shows(registry, number, sign, unit_name="断线期间改的名称")  # the database, then the reloaded view
    assert any("connection was lost" in record.getMessage() for record in caplog.records)

    async def listening_again() -> bool:
        return view.loaded and (await listening_pid(registry)) not in (None, killed)

    await eventually(listening_again)
    await cached(view, number)
    await rename_unnoticed(registry, number, "再次未通知的名称")
    answer = await public(registry.client, number, sign)
    assert answer.json()["unit_name"] == "断线期间改的名称"  # served from memory again


@pytest.fixture
async def without_view(
    settings_for: Callable[..., BaseSettings], registry_nats: NatsServer
) -> AsyncIterator[tuple[Runtime, httpx.AsyncClient, RegistrySettings]]:
    settings = settings_for(
        RegistrySettings,
        service="registry",
        nats_url=registry_nats.url,
        pkcs11_module="",
        registry_public_view=False,
    )
    assert isinstance(settings, RegistrySettings)
    app = create_app(settings)
    runtime = app.state.runtime
    assert isinstance(runtime, Runtime)
    async with started(app), client_of(app) as client:
        yield runtime, client, settings


async def test_without_the_view_every_lookup_reads_the_database(
    without_view: tuple[Runtime, httpx.AsyncClient, RegistrySettings], sign: Sign
) -> None:
    runtime, client, settings = without_view
    assert runtime.components == []
    event = approval()
    await approvals.apply_approval(event, runtime.uow())
    assert runtime.pool is not None
    number = await runtime.pool.fetchval("SELECT number FROM certificates WHERE unit_id = $1", event.unit_id)
    answer = await public(client, number, sign)
    assert (answer.status_code, answer.json()["unit_name"]) == (200, "北京测绘有限公司")
    async with runtime.pool.acquire() as conn, conn.transaction():
        await conn.execute("ALTER TABLE certificates DISABLE TRIGGER certificates_public_updated")
        await conn.execute("UPDATE certificates SET unit_name = '没有视图也看得到' WHERE number = $1", number)
        await conn.execute("ALTER TABLE certificates ENABLE TRIGGER certificates_public_updated")
    answer = await public(client, number, sign)
    assert answer.json()["unit_name"] == "没有视图也看得到"
    assert settings.registry_public_view is False
