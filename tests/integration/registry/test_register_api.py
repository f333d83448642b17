"""The authority's register (filters, pages, CSV, detail; only its jurisdiction — property-based),
the public view (nothing personal; one calm 404), and who may download a certificate's PDF."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from contracts.auth import Caller
from services.kernel import Runtime
from services.registry.handlers import approvals

from .conftest import Headers, Registry, approval

PROVINCES = ("110000", "320000", "440000")
Sign = Callable[..., Headers]


@pytest.fixture
async def issued(registry: Registry) -> dict[str, Any]:
    """Two certificates in 北京 (one 乙级), one in 江苏, one in 广东; numbers by unit."""
    runtime = registry.app.state.runtime
    assert isinstance(runtime, Runtime)
    events = [
        approval(unit_id="u-bj", jurisdiction="110000"),
        approval(
            unit_id="u-bj2", jurisdiction="110000", certificate_type="乙级资质证书", levels=(("地图编制", "乙级"),)
        ),
        approval(unit_id="u-js", jurisdiction="320000", credit_code="91320100MA01ABCD1X"),
        approval(unit_id="u-gd", jurisdiction="440000", credit_code="91440100MA01ABCD1X"),
    ]
    for event in events:
        await approvals.apply_approval(event, runtime.uow())
    rows = await registry.fetch("SELECT unit_id, number FROM certificates")
    return {row["unit_id"]: row["number"] for row in rows}


def authority(sign: Sign, jurisdiction: str) -> Headers:
    return sign(role="authority", jurisdiction=jurisdiction, roles=("approval",))


async def test_the_register_filters_within_the_authoritys_jurisdiction(
    registry: Registry, issued: dict[str, Any], sign: Sign
) -> None:
    client = registry.client
    beijing = await client.get("/register", headers=authority(sign, "110000"))
    assert beijing.status_code == 200, beijing.text
    assert {item["number"] for item in beijing.json()["items"]} == {issued["u-bj"], issued["u-bj2"]}
    ministry = await client.get("/register", params={"page_size": 2}, headers=authority(sign, "000000"))
    assert (ministry.json()["total"], len(ministry.json()["items"])) == (4, 2)
    by_category = await client.get("/register", params={"category": "地图编制"}, headers=authority(sign, "000000"))
    assert [item["number"] for item in by_category.json()["items"]] == [issued["u-bj2"]]
    by_type = await client.get(
        "/register",
        params={"certificate_type": "甲级资质证书", "unit_name": "测绘", "expires_after": "2030-01-01"},
        headers=authority(sign, "110000"),
    )
    assert [item["number"] for item in by_type.json()["items"]] == [issued["u-bj"]]
    bad = await client.get("/register", params={"status": "作废"}, headers=authority(sign, "110000"))
    assert bad.status_code == 400
    assert bad.json()["details"][0]["field"] == "$.status" or "status" in bad.text
    unit = await client.get("/register", headers=sign(role="unit", unit_id="u-bj"))
    assert unit.status_code == 403


async def test_the_csv_export_has_a_bom_and_the_same_rows(
    registry: Registry, issued: dict[str, Any], sign: Sign
) -> None:
    answer = await registry.client.get("/register.csv", headers=authority(sign, "110000"))
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/csv")
    assert answer.content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(answer.content.decode("utf-8-sig"))))
    assert rows[0][:2] == ["证书编号", "证书类型"]
    assert sorted(row[0] for row in rows[1:]) == sorted([issued["u-bj"], issued["u-bj2"]])


async def test_the_detail_has_the_version_history_and_is_hidden_outside_the_jurisdiction(
    registry: Registry, issued: dict[str, Any], sign: Sign
) -> None:
    number = issued["u-js"]
    mine = await registry.client.get(f"/register/{number}", headers=authority(sign, "320000"))
    assert mine.status_code == 200
    assert (mine.json()["legal_representative"], [v["kind"] for v in mine.json()["versions"]]) == ("张三", ["发证"])
    other = await registry.client.get(f"/register/{number}", headers=authority(sign, "110000"))
    unknown = await registry.client.get("/register/甲测资字32999999", headers=authority(sign, "110000"))
    assert other.status_code == unknown.status_code == 404
    assert other.json() == unknown.json()


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    jurisdiction=st.sampled_from(PROVINCES),
    filters=st.fixed_dictionaries(
        {},
        optional={
            "status": st.just("有效"),
            "unit_name": st.sampled_from(["测绘", "北京"]),
            "certificate_type": st.sampled_from(["甲级资质证书", "乙级资质证书"]),
        },
    ),
)
async def test_an_authority_never_sees_another_provinces_certificates(
    registry: Registry, issued: dict[str, Any], sign: Sign, jurisdiction: str, filters: dict[str, str]
) -> None:
    headers = authority(sign, jurisdiction)
    listed = await registry.client.get("/register", params={**filters, "page_size": 200}, headers=headers)
    assert all(item["issuing_jurisdiction"][:2] == jurisdiction[:2] for item in listed.json()["items"])
    exported = await registry.client.get("/register.csv", params=filters, headers=headers)
    numbers = [row[0] for row in csv.reader(io.StringIO(exported.content.decode("utf-8-sig")))][1:]
    assert all(number[4:6] == jurisdiction[:2] for number in numbers)
    for unit, number in issued.items():
        answer = await registry.client.get(f"/register/{number}", headers=headers)
        assert answer.status_code == (200 if number[4:6] == jurisdiction[:2] else 404), unit


def anonymous(sign: Sign) -> Headers:
    """The gateway's token for a visitor without a session."""
    return sign(account_id="gateway", role="system")


async def test_the_public_view_shows_nothing_personal(registry: Registry, issued: dict[str, Any], sign: Sign) -> None:
    answer = await registry.public_once_shown(issued["u-bj"], anonymous(sign))
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert (body["unit_name"], body["status"], body["level"]) == ("北京测绘有限公司", "有效", "甲级")
    text = answer.text
    for personal in ("张三", "中关村", "91110108MA01ABCD1X", "legal_representative", "registered_address"):
        assert personal not in text


@pytest.mark.parametrize(
    "number", ["甲测资字11999999", "not-a-number", "甲测资字11", "%27%20OR%201%3D1", "丙测资字1100000"]
)
async def test_unknown_and_malformed_numbers_answer_the_same_calm_404(
    registry: Registry, issued: dict[str, Any], sign: Sign, number: str
) -> None:
    answer = await registry.client.get(f"/public/certificates/{number}", headers=anonymous(sign))
    assert answer.status_code == 404
    assert answer.json() == {"code": "registry.certificate_not_found", "message": "未查询到该证书", "details": None}


async def test_the_public_view_needs_a_token(registry: Registry, issued: dict[str, Any]) -> None:
    answer = await registry.client.get(f"/public/certificates/{issued['u-bj']}")
    assert answer.status_code == 401


async def test_only_the_owner_or_a_covering_authority_may_download_the_pdf(
    registry: Registry, issued: dict[str, Any], sign: Sign
) -> None:
    number = issued["u-bj"]
    refused = [
        sign(role="unit", unit_id="u-js"),
        authority(sign, "320000"),
        anonymous(sign),
    ]
    for headers in refused:
        answer = await registry.client.get(f"/certificates/{number}/pdf", headers=headers)
        assert answer.status_code in (403, 404), answer.text
        assert answer.status_code == 403 or answer.json()["message"] == "未查询到该证书"
    allowed = [sign(role="unit", unit_id="u-bj"), authority(sign, "110000"), authority(sign, "000000")]
    for headers in allowed:  # no HSM in this fixture: the document is not made yet
        answer = await registry.client.get(f"/certificates/{number}/pdf", headers=headers)
        assert (answer.status_code, answer.json()["code"]) == (503, "registry.pdf_not_ready")


def test_callers_are_plain_structs() -> None:
    assert Caller(account_id="gateway", role="system").role == "system"
