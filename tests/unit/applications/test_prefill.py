"""Prefill (沿用上次填报): which pages carry over from the unit's earlier work, and which of the
earlier values and uploads a page of a new work may start from."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from services.applications.data import catalog
from services.applications.model.prefill import (
    FILED_STATES,
    EarlierPage,
    carried_documents,
    carried_values,
    carries,
)

PAGES = catalog().pages
FILED_UNIT_INFO = {
    "unit_name": "更正后的名称有限公司",
    "credit_code": "91110000MA01ABCD1X",
    "registered_address": {"province": "110000", "detail": "海淀区1号"},
    "office_address": "海淀区2号",
    "legal_representative": "张三",
    "nature": "企业",
    "founded_on": "2010-05-01",
    "registered_capital": 500,
    "contact": "李四",
    "contact_phone": "010-12345678",
    "email": "a@b.cn",
    "postcode": "100000",
    "intended_certificate": "乙级资质证书",
}


def earlier(values: dict[str, Any], documents: dict[str, list[str]] | None = None) -> EarlierPage:
    return EarlierPage("w0", "新单位注册", "approved", None, values, documents or {})


def test_standing_pages_carry_over_and_per_request_and_roster_pages_do_not() -> None:
    carried = {key for key, spec in PAGES.items() if carries(spec)}
    assert carried == {"profile", "unit_info", "leaders", "safety", "quality", "archives"}


def test_only_filed_work_is_a_source() -> None:
    assert "draft" not in FILED_STATES and "returned" not in FILED_STATES  # still being edited
    assert {"approved", "refused", "withdrawn"} <= set(FILED_STATES)


def test_unit_info_after_registration_keeps_what_the_unit_entered() -> None:
    fixed = {
        "credit_code": "91110000MA01ABCD1X",
        "unit_name": "登记名称有限公司",
        "registered_address": {"province": "110000", "detail": "海淀区1号"},
        "legal_representative": "张三",
    }
    values = carried_values(PAGES["unit_info"], "资质申请", earlier(FILED_UNIT_INFO), fixed)
    assert values == {
        "office_address": "海淀区2号",
        "nature": "企业",
        "founded_on": "2010-05-01",
        "registered_capital": 500,
        "contact": "李四",
        "contact_phone": "010-12345678",
        "email": "a@b.cn",
        "postcode": "100000",
    }  # not 拟申请的资质等级 (新单位注册 only), nor what ``fixed`` decides


def test_an_unverified_unit_keeps_the_name_it_corrected() -> None:
    values = carried_values(PAGES["unit_info"], "新单位注册", earlier(FILED_UNIT_INFO), {"credit_code": "x"})
    assert values["unit_name"] == "更正后的名称有限公司" and values["intended_certificate"] == "乙级资质证书"
    assert "credit_code" not in values  # read-only: always the work's own


def test_uploads_the_page_no_longer_asks_for_are_left_out() -> None:
    documents = {"营业执照": ["d1"], "身份证": ["d2"], "法人证明": []}
    assert carried_documents(PAGES["unit_info"], earlier({}, documents)) == {"营业执照": ["d1"]}


FIELD_KEYS = st.sampled_from(
    [f.key for spec in PAGES.values() for f in spec.fields] + ["credit_code", "unknown", "$where"]
)


@given(
    key=st.sampled_from(sorted(PAGES)),
    application_type=st.sampled_from(sorted(catalog().types)),
    values=st.dictionaries(FIELD_KEYS, st.text(max_size=5), max_size=12),
    fixed=st.dictionaries(FIELD_KEYS, st.text(max_size=5), max_size=4),
)
def test_carried_values_are_only_enterable_fields_of_the_page_for_the_type(
    key: str, application_type: str, values: dict[str, str], fixed: dict[str, str]
) -> None:
    spec = PAGES[key]
    carried = carried_values(spec, application_type, earlier(values), fixed)
    enterable = {f.key for f in spec.fields_for(application_type) if not f.read_only}
    assert set(carried) <= enterable - set(fixed)
    assert all(carried[k] == values[k] for k in carried)
