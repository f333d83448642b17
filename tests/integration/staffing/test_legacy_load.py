"""老人老办法 load (manual 5.5.1) on real PostgreSQL: the export's rows COPYed with sealed numbers,
the rejected rows' report, a second load of the same export, the worker processes, the
``legacy-load`` command end to end, who may upload and read a report, and a unit's query of its
own legacy staff only."""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import subprocess
import sys
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import pytest

from services.staffing import errors
from services.staffing.api.legacy_form import read_legacy_upload
from services.staffing.legacy import load
from services.staffing.legacy.parse import read_export
from services.staffing.legacy.sealing import Keys
from services.staffing.protection import Protector
from tests.builders.staffing import an_id_number
from tests.fixtures.infra import TEST_SECRETS

from .conftest import Headers, Roster

Sign = Callable[..., Headers]
REPO = Path(__file__).resolve().parents[3]
HEADER = "统一社会信用代码,姓名,证件号码,人员类别,职称等级,专业,是否退休"
UNIT_A, UNIT_B = "91110000MA01HJKL1A", "91440000MA02MNPQ2B"
WRONG_CHECK = "请核对后重新输入"


def person(code: str, name: str, number: str | None = None, category: str = "测绘专业", level: str = "中级") -> str:
    return f"{code},{name},{number or an_id_number()},{category},{level},测绘工程,否"


def export(*rows: str) -> bytes:
    return ("\r\n".join((HEADER, *rows)) + "\r\n").encode("utf-8-sig")


def report_rows(report: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(report.decode("utf-8-sig"))))[1:]


async def upload(roster: Roster, headers: Headers, data: bytes, name: str = "旧系统导出.csv") -> Any:
    return await roster.client.post("/legacy/loads", headers=headers, files={"file": (name, data, "text/csv")})


async def legacy_rows(roster: Roster) -> list[dict[str, Any]]:
    conn = await roster.db()
    try:
        return [dict(row) for row in await conn.fetch("SELECT * FROM legacy_persons ORDER BY line")]
    finally:
        await conn.close()


@pytest.fixture
def admin(sign: Sign) -> Headers:
    return sign(role="admin", account_id="admin-1")


async def test_a_load_seals_the_numbers_and_reports_the_rejected_rows(
    roster: Roster, admin: Headers, protector: Protector
) -> None:
    numbers = [an_id_number(dt.date(1975, 1, 2), seq=11), an_id_number(dt.date(1988, 3, 4), seq=22)]
    bad = an_id_number()[:17] + "Z"
    data = export(person(UNIT_A, "张三", numbers[0]), person(UNIT_A, "李四", bad), person(UNIT_B, "王五", numbers[1]))
    answer = await upload(roster, admin, data)
    assert answer.status_code == 201, answer.text
    body = answer.json()
    assert (body["filename"], body["rows"], body["accepted"], body["rejected"]) == ("旧系统导出.csv", 3, 2, 1)
    assert body["report_url"] == f"/legacy/loads/{body['id']}/report"
    rows = await legacy_rows(roster)
    assert [(row["line"], row["name"], row["credit_code"]) for row in rows] == [
        (2, "张三", UNIT_A),
        (4, "王五", UNIT_B),
    ]
    for row, number in zip(rows, numbers, strict=True):
        assert number.encode() not in row["id_number_enc"]
        assert protector.open_text(row["id_number_enc"]) == number
        assert row["id_number_hash"] == protector.identity("居民身份证", number)
        assert row["id_number_masked"] == number[:6] + "********" + number[-4:]
        assert (row["load_id"].hex, row["category"], row["title_level"], row["transferred_at"]) == (
            body["id"].replace("-", ""),
            "测绘专业技术人员",
            "中级",
            None,
        )
    assert str(rows[0]["birth_date"]) == "1975-01-02"
    report = await roster.client.get(body["report_url"], headers=admin)
    assert (report.status_code, report.headers["content-type"]) == (200, "text/csv; charset=utf-8")
    assert report.content.startswith(b"\xef\xbb\xbf")
    assert report_rows(report.content) == [
        ["3", "证件号码", "居民身份证号码应为18位，前17位为数字，最后一位为数字或X，请核对后重新输入"]
    ]


async def test_a_second_load_of_the_same_export_adds_nothing_twice(roster: Roster, admin: Headers) -> None:
    same = an_id_number()
    first = export(person(UNIT_A, "张三", same), person(UNIT_A, "张三", same), person(UNIT_B, "张三", same))
    body = (await upload(roster, admin, first)).json()
    assert (body["accepted"], body["rejected"]) == (2, 1)  # the same person at another unit is another row
    report = (await roster.client.get(body["report_url"], headers=admin)).content
    assert report_rows(report) == [["3", "证件号码", "与第2行重复（统一社会信用代码和证件号码相同），本行未导入"]]

    again = (await upload(roster, admin, first + person(UNIT_A, "李四").encode() + b"\r\n")).json()
    assert (again["rows"], again["accepted"], again["rejected"]) == (4, 1, 3)
    report = (await roster.client.get(again["report_url"], headers=admin)).content
    earlier = "该人员此前已导入（统一社会信用代码和证件号码相同），本行未重复导入"
    assert [row[0] for row in report_rows(report)] == ["2", "3", "4"]
    assert report_rows(report)[0][2] == earlier and report_rows(report)[2][2] == earlier
    assert len(await legacy_rows(roster)) == 3


async def test_worker_processes_load_what_this_process_would(roster: Roster, monkeypatch: pytest.MonkeyPatch) -> None:
    lines = [person(UNIT_A if index % 2 else UNIT_B, f"人员{index:03d}") for index in range(300)]
    lines[150] = lines[10]  # a duplicate in another piece
    lines[200] = person(UNIT_A, "坏号", "110101800229123")
    monkeypatch.setattr(load, "PIECE_CHARS", 1_000)
    monkeypatch.setattr(load, "IN_PROCESS_CHARS", 0)
    keys = Keys(roster.settings.staffing_data_key, roster.settings.staffing_hash_key)
    conn = await roster.db()
    try:
        async with conn.transaction():
            outcome = await load.load_export(
                read_export(export(*lines)), conn=conn, filename="x.csv", loaded_by="t", keys=keys, on=dt.date.today()
            )
        lines_loaded = [row["line"] for row in await conn.fetch("SELECT line FROM legacy_persons ORDER BY line")]
    finally:
        await conn.close()
    assert (outcome.rows, outcome.accepted, outcome.rejected, outcome.duplicates) == (300, 298, 2, 1)
    assert lines_loaded == [line for line in range(2, 302) if line not in (152, 202)]
    assert [row[:2] for row in report_rows(outcome.report)] == [["152", "证件号码"], ["202", "证件号码"]]


def _cli(path: Path, roster: Roster) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "DATABASE_URL": roster.settings.database_url,
        "DATABASE_NAME": roster.settings.database_name,
        "STAFFING_DATA_KEY": TEST_SECRETS["staffing_data_key"],
        "STAFFING_HASH_KEY": TEST_SECRETS["staffing_hash_key"],
        "LOG_JSON": "false",
    }
    return subprocess.run(
        [sys.executable, "-m", "services.staffing", "legacy-load", str(path)],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


async def test_the_command_loads_a_file_and_writes_the_report_beside_it(
    roster: Roster, admin: Headers, tmp_path: Path, protector: Protector
) -> None:
    number = an_id_number()
    path = tmp_path / "旧系统.csv"
    text = "\r\n".join((HEADER, person(UNIT_A, "张三", number), person(UNIT_A, "李四", category="管理人员"))) + "\r\n"
    path.write_bytes(text.encode("gb18030"))
    done = _cli(path, roster)
    assert done.returncode == 0, done.stderr
    assert "读取 2 行：导入 1 行，拒绝 1 行（其中重复 0 行）" in done.stdout
    report_path = tmp_path / "旧系统.csv.rejected.csv"
    assert f"被拒绝行的报告：{report_path}" in done.stdout
    assert report_rows(report_path.read_bytes()) == [
        ["3", "人员类别", "人员类别应为测绘专业技术人员、相关专业技术人员或非专业技术人员"]
    ]
    (row,) = await legacy_rows(roster)
    assert (row["name"], protector.open_text(row["id_number_enc"])) == ("张三", number)
    load_id = done.stdout.rpartition("导入批次：")[2].strip()
    report = await roster.client.get(f"/legacy/loads/{load_id}/report", headers=admin)
    assert report.content == report_path.read_bytes()  # an administrator reads the command's report


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"\xff\xfe\xff\xff", "文件编码无法识别"),
        ("姓名,证件号码\r\n张三,1\r\n".encode(), "表头缺少以下列：统一社会信用代码、人员类别、职称等级"),
        (None, "无法读取文件"),
    ],
)
async def test_the_command_refuses_a_file_it_cannot_read_with_status_2(
    roster: Roster, tmp_path: Path, content: bytes | None, reason: str
) -> None:
    path = tmp_path / "export.csv"
    if content is not None:
        path.write_bytes(content)
    done = _cli(path, roster)
    assert (done.returncode, done.stdout) == (2, "")
    assert reason in done.stderr
    assert not (tmp_path / "export.csv.rejected.csv").exists()


async def test_only_the_administrator_and_the_ministry_may_load(roster: Roster, sign: Sign) -> None:
    data = export(person(UNIT_A, "张三"))
    national = sign(role="authority", jurisdiction="000000", roles=("review",))
    assert (await upload(roster, sign(role="admin"), data)).status_code == 201
    assert (await upload(roster, national, export(person(UNIT_A, "李四")))).status_code == 201
    for caller in (
        sign(role="unit", unit_id="u-1"),
        sign(role="authority", jurisdiction="110000", roles=("review",)),
        sign(role="system", account_id="gateway"),
    ):
        answer = await upload(roster, caller, data)
        assert (answer.status_code, answer.json()["code"]) == (403, "forbidden"), answer.text
    assert len(await legacy_rows(roster)) == 2


async def test_an_upload_that_is_too_large_or_not_a_form_is_refused(roster: Roster, admin: Headers) -> None:
    app_settings = roster.settings
    limit = app_settings.staffing_legacy_max_bytes
    too_large = await roster.client.post(
        "/legacy/loads",
        headers={**admin, "content-type": "multipart/form-data; boundary=x", "content-length": str(limit + 10**6)},
        content=b"--x--\r\n",
    )
    assert (too_large.status_code, too_large.json()["code"]) == (413, "staffing.legacy_file_too_large")
    not_a_form = await roster.client.post("/legacy/loads", headers=admin, json={"file": "x"})
    assert (not_a_form.status_code, not_a_form.json()["code"]) == (400, "staffing.invalid_legacy_file")
    no_file = await roster.client.post("/legacy/loads", headers=admin, files={"other": ("a.csv", b"x")})
    assert no_file.json()["message"] == "无法读取旧系统人员导出文件：请选择要导入的CSV文件"
    no_header = await upload(roster, admin, b"")
    assert (no_header.status_code, no_header.json()["details"]) == (400, {"field": "$.file"})


async def test_a_report_is_read_by_whoever_loaded_it_and_the_administrator_only(roster: Roster, sign: Sign) -> None:
    loader = sign(role="authority", jurisdiction="000000", account_id="ministry-1")
    url = (await upload(roster, loader, export(person(UNIT_A, "张三")))).json()["report_url"]
    assert (await roster.client.get(url, headers=loader)).status_code == 200
    assert (await roster.client.get(url, headers=sign(role="admin"))).status_code == 200
    for other in (
        sign(role="authority", jurisdiction="000000", account_id="ministry-2"),
        sign(role="unit", unit_id="u-1"),
    ):
        answer = await roster.client.get(url, headers=other)
        assert (answer.status_code, answer.json()["code"]) == (404, "staffing.legacy_load_not_found")
    missing = await roster.client.get("/legacy/loads/not-a-uuid/report", headers=sign(role="admin"))
    assert missing.status_code == 404


async def test_a_unit_sees_only_the_legacy_staff_of_its_credit_code(
    roster: Roster, admin: Headers, unit_headers: Callable[..., Headers]
) -> None:
    await roster.add_unit("unit-a", "甲测绘院", UNIT_A)
    await roster.add_unit("unit-b", "乙测绘公司", UNIT_B)
    number = an_id_number()
    rows = [person(UNIT_A, name) for name in ("赵六", "钱七", "孙八")] + [person(UNIT_B, "周九", number)]
    assert (await upload(roster, admin, export(*rows))).status_code == 201
    a_page = (await roster.client.get("/legacy/persons", headers=unit_headers("unit-a"))).json()
    assert a_page["total"] == 3
    assert sorted(item["name"] for item in a_page["items"]) == ["孙八", "赵六", "钱七"]
    assert [item["name"] for item in a_page["items"]] == sorted(item["name"] for item in a_page["items"])
    b_page = (await roster.client.get("/legacy/persons", headers=unit_headers("unit-b"))).json()
    (only,) = b_page["items"]
    assert (only["name"], only["id_number_masked"], only["transferred"]) == (
        "周九",
        f"{number[:6]}********{number[-4:]}",
        False,
    )
    assert "id_number" not in only
    stranger = (await roster.client.get("/legacy/persons", headers=unit_headers("unit-c"))).json()
    assert (stranger["items"], stranger["total"]) == ([], 0)
    second = await roster.client.get("/legacy/persons?page=2&page_size=2", headers=unit_headers("unit-a"))
    assert ([item["name"] for item in second.json()["items"]], second.json()["total"]) == (
        [a_page["items"][2]["name"]],
        3,
    )
    refused = await roster.client.get("/legacy/persons", headers=admin)
    assert refused.status_code == 403


async def test_a_loaded_person_is_transferred_with_its_number_and_shown_transferred(
    roster: Roster, admin: Headers, unit_headers: Callable[..., Headers]
) -> None:
    await roster.add_unit("unit-a", "甲测绘院", UNIT_A)
    number = an_id_number()
    assert (await upload(roster, admin, export(person(UNIT_A, "张三", number)))).status_code == 201
    headers = unit_headers("unit-a")
    (legacy,) = (await roster.client.get("/legacy/persons", headers=headers)).json()["items"]
    moved = await roster.client.post("/legacy/transfers", json={"ids": [legacy["id"]]}, headers=headers)
    assert moved.status_code == 200, moved.text
    (transferred,) = moved.json()["transferred"]
    full = (await roster.client.get(f"/persons/{transferred['id']}", headers=headers)).json()
    assert (full["id_number"], full["source"], full["complete"]) == (number, "老人老办法", False)
    (after,) = (await roster.client.get("/legacy/persons", headers=headers)).json()["items"]
    assert after["transferred"] is True


class _Streamed:
    """What read_legacy_upload reads of a request: its headers and its body, in small chunks."""

    def __init__(self, body: bytes) -> None:
        self.headers = {"content-type": "multipart/form-data; boundary=b"}
        self._body = body

    async def stream(self) -> AsyncIterator[bytes]:
        for start in range(0, len(self._body), 7):
            yield self._body[start : start + 7]


def _form(filename: bytes, content: bytes) -> bytes:
    part = b'--b\r\nContent-Disposition: form-data; name="file"; filename="' + filename + b'"\r\n\r\n'
    return b'--b\r\nContent-Disposition: form-data; name="note"\r\n\r\nx\r\n' + part + content + b"\r\n--b--\r\n"


async def test_the_upload_keeps_the_files_own_name_and_stops_past_the_limit() -> None:
    body = _form("C:\\导出\\旧系统.csv".encode("gb18030"), b"0123456789")
    upload = await read_legacy_upload(_Streamed(body), max_bytes=10)  # type: ignore[arg-type]
    assert (upload.filename, bytes(upload.data)) == ("旧系统.csv", b"0123456789")
    with pytest.raises(errors.LegacyFileTooLargeError):
        await read_legacy_upload(_Streamed(body), max_bytes=9)  # type: ignore[arg-type]
