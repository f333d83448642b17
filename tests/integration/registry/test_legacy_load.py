"""``python -m services.registry legacy-load FILE``: rows validated and reported, loaded by COPY as
old-regime certificates with one CertificateIssued(regime="legacy") each, never twice, and the
2021 counters moved past any loaded number of that form."""

from __future__ import annotations

import asyncio
import csv
import io
from pathlib import Path

import msgspec

from contracts.registry.events import CertificateIssued
from services.kernel import Runtime
from services.registry.__main__ import legacy_load
from services.registry.handlers import approvals
from tests.fixtures.waiting import eventually

from .conftest import Registry, approval

HEADER = "证书编号,单位名称,统一社会信用代码,证书等级,专业类别,发证机关,发证日期,有效期至\n"
ROWS = [
    "丙测资字3711781,青岛测绘有限公司,91370200MA01ABCD1X,丙,工程测量;地籍测绘,山东省国土资源厅,2016-05-01,2021-12-31",
    "甲测资字11000005,北京老测绘院,91110108MA01ABCD1X,甲,大地测量；工程测量,国家测绘地理信息局,2019-01-01,2099-12-31",
    "乙测资字320050,江苏测绘有限公司,91320100MA01ABCD1X,丙,工程测量,江苏省测绘局,2017-01-01,2021-12-31",
    "丁测资字4400123,,91440100MA01ABCD1X,丁,工程测量,广东省国土资源厅,2017-01-01,2021-12-31",
    "丁测资字4400124,广东测绘有限公司,91440100MA01ABCD1X,丁,工程测量,广东省国土资源厅,2017-13-01,2021-12-31",
    "丙测资字3711781,青岛测绘有限公司,91370200MA01ABCD1X,丙,工程测量,山东省国土资源厅,2016-05-01,2021-12-31",
]


async def test_a_legacy_export_loads_valid_rows_and_reports_the_others(registry: Registry, tmp_path: Path) -> None:
    path = tmp_path / "legacy.csv"
    path.write_text(HEADER + "\n".join(ROWS) + "\n", encoding="utf-8-sig")
    assert await asyncio.to_thread(legacy_load, path, registry.settings) == 0
    report = list(csv.reader(io.StringIO((tmp_path / "legacy.csv.rejected.csv").read_text("utf-8-sig"))))
    assert report == [
        ["行号", "列", "原因"],
        ["4", "证书等级", "证书等级与证书编号不一致"],
        ["5", "单位名称", "单位名称应为2至100个字符"],
        ["6", "发证日期", "日期格式应为YYYY-MM-DD"],
        ["7", "证书编号", "证书编号在文件中重复"],
    ]
    rows = {r["number"]: r for r in await registry.fetch("SELECT * FROM certificates")}
    assert set(rows) == {"丙测资字3711781", "甲测资字11000005"}
    qingdao = rows["丙测资字3711781"]
    assert (qingdao["regime"], qingdao["level"], qingdao["certificate_type"], qingdao["status"]) == (
        "legacy",
        "丙级",
        "丙级资质证书",
        "已过期",
    )
    assert (qingdao["issuing_jurisdiction"], [c["category"] for c in qingdao["categories"]]) == (
        "370000",
        ["工程测量", "地籍测绘"],
    )
    assert rows["甲测资字11000005"]["status"] == "有效"
    [payload] = [
        r["payload"]
        for r in await registry.fetch("SELECT payload FROM outbox WHERE aggregate_id = $1", "丙测资字3711781")
    ]
    issued = msgspec.json.decode(payload, type=CertificateIssued)
    assert (issued.regime, issued.credit_code, issued.unit_id, issued.level) == (
        "legacy",
        "91370200MA01ABCD1X",
        None,
        "丙级",
    )

    async def published() -> bool:
        return not await registry.fetch("SELECT 1 FROM outbox WHERE sent_at IS NULL")

    await eventually(published)  # the running registry's relay sends them

    assert await asyncio.to_thread(legacy_load, path, registry.settings) == 0  # again: nothing added
    assert len(await registry.fetch("SELECT 1 FROM outbox")) == 2
    runtime = registry.app.state.runtime
    assert isinstance(runtime, Runtime)
    fresh = approval(jurisdiction="110000")
    await approvals.apply_approval(fresh, runtime.uow())
    assert (await registry.certificate(fresh.unit_id))["number"] == "甲测资字11000006"


async def test_an_unreadable_header_exits_2_and_loads_nothing(registry: Registry, tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("编号,名称\n1,2\n", encoding="utf-8")
    assert await asyncio.to_thread(legacy_load, path, registry.settings) == 2
    assert await registry.fetch("SELECT 1 FROM certificates") == []
