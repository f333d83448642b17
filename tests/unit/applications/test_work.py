"""Work: what 提交 and 批准 read from a piece of work's saved pages, and completeness per page."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from contracts.applications.events import ApprovedLevel
from services.applications.data import catalog
from services.applications.model.completeness import NOT_SAVED, page_problems
from services.applications.model.fields import FieldContext, check_page
from services.applications.model.work import HeldCertificate, SavedPage, UnitRecord, Work

B = "乙级资质证书"


def work(
    application_type: str, pages: dict[str, dict[str, Any]], *, held: tuple[HeldCertificate, ...] = (), **kw: Any
) -> Work:
    saved = {
        key: SavedPage(key=key, values=p.get("values", {}), documents=p.get("documents", {}))
        for key, p in pages.items()
    }
    return Work(
        id="w",
        unit_id="u",
        unit_name="旧名称有限公司",
        credit_code="91110000MA01ABCD1X",
        application_type=application_type,
        certificate_type=kw.pop("certificate_type", B),
        jurisdiction="110000",
        state="draft",
        version=1,
        revision=-1,
        created_at=dt.datetime(2024, 1, 1, tzinfo=dt.UTC),
        layout=catalog().layout_of(application_type),
        pages=saved,
        held=held,
        **kw,
    )


HELD_B = HeldCertificate(
    number="B-1",
    certificate_type=B,
    level="",
    regime="2021",
    categories=(ApprovedLevel(category="工程测量", level="乙级"), ApprovedLevel(category="海洋测绘", level="乙级")),
)


def test_requested_levels_from_the_scope_page_or_the_certificate() -> None:
    scope = {"values": {"levels": [{"category": "工程测量", "level": "甲级", "sub_items": ["控制测量"]}]}}
    assert work("专业范围变更", {"scope": scope}).requested_levels() == [
        ApprovedLevel(category="工程测量", level="甲级", sub_items=["控制测量"])
    ]
    assert work("补领证书", {}, held=(HELD_B,), certificate_number="B-1").requested_levels() == list(HELD_B.categories)
    assert work("新单位注册", {}).requested_levels() == []


def test_needs_projects_only_when_a_category_goes_from_b_to_a() -> None:
    to_a = {"scope": {"values": {"levels": [{"category": "工程测量", "level": "甲级"}]}}}
    new_a = {"scope": {"values": {"levels": [{"category": "大地测量", "level": "甲级"}]}}}
    with_projects = work("专业范围变更", to_a, held=(HELD_B,))
    assert with_projects.needs_projects()
    assert "projects" in [laid.spec.key for laid in with_projects.laid_pages()]
    without = work("专业范围变更", new_a, held=(HELD_B,))
    assert not without.needs_projects() and "projects" not in [laid.spec.key for laid in without.laid_pages()]


def legacy(level: str, category: str) -> HeldCertificate:
    """An old-regime certificate as the replica holds it (loaded by legacy-load, 2018)."""
    return HeldCertificate(
        number=f"{level[0]}测资字1100471",
        certificate_type=f"{level}资质证书",
        level=level,
        regime="legacy",
        categories=(ApprovedLevel(category=category, level=level),),
    )


@pytest.mark.parametrize(
    ("held", "requested", "applies"),
    [
        (legacy("乙级", "工程测量"), "工程测量", True),  # issue 18: the switcher showed no 测绘业绩信息
        (legacy("乙级", "地籍测绘"), "界线与不动产测绘", True),  # mapped by the transition data
        (legacy("丙级", "工程测量"), "工程测量", False),  # below 2021's 乙级
        (legacy("乙级", "工程测量"), "大地测量", False),
    ],
)
def test_an_old_regime_yi_counts_as_the_transition_data_says(
    held: HeldCertificate, requested: str, applies: bool
) -> None:
    scope = {"scope": {"values": {"levels": [{"category": requested, "level": "甲级"}]}}}
    applying = work("资质申请", scope, held=(held,), certificate_type="甲级资质证书")
    assert applying.needs_projects() is applies
    assert ("projects" in [laid.spec.key for laid in applying.laid_pages()]) is applies


def test_particulars_fall_back_to_the_unit_record() -> None:
    unit = UnitRecord("u", "核实名称有限公司", "91110000MA01ABCD1X", True, "北京市海淀区1号", "王五")
    assert work("补领证书", {}, unit=unit).particulars().legal_representative == "王五"
    info = {
        "values": {"unit_name": "新名称有限公司", "registered_address": {"province": "320000", "detail": "南京1号"}}
    }
    found = work("新单位注册", {"unit_info": info}, unit=unit).particulars()
    assert (found.unit_name, found.registered_address, found.legal_representative) == (
        "新名称有限公司",
        "江苏省南京1号",
        "王五",
    )


def test_changes_reason_certificate_and_documents() -> None:
    changes = {"values": {"new_legal_representative": "赵六"}, "documents": {"变更证明": ["d2"]}}
    form = {"documents": {"申请书": ["d1", "d2"]}}
    changed = work("基本信息变更", {"changes": changes, "application_form": form})
    assert changed.changes() == {"legal_representative": "赵六"}
    assert changed.document_ids() == ["d1", "d2"]
    reissue = {"values": {"certificate": "B-1", "reason": "遗失"}}
    lost = work("补领证书", {"reissue": reissue}, held=(HELD_B,))
    assert lost.concerned_certificate() == "B-1" and lost.reason() == "遗失"


def test_page_problems_lists_what_is_missing_per_page() -> None:
    leaders = {"values": {"legal_person": [{"name": "张三"}]}}
    problems = page_problems(work("新单位注册", {"leaders": leaders}))
    assert problems["单位基本信息"] == [NOT_SAVED]
    assert any("法定代表人信息第1人" in p for p in problems["法人及分管资质申报领导信息"])
    form = {"documents": {"申请书": ["d1"]}}
    reissue = {"values": {"certificate": "B-1", "reason": "遗失"}, "documents": {"遗失声明": ["d3"]}}
    assert page_problems(work("补领证书", {"application_form": form, "reissue": reissue}, held=(HELD_B,))) == {}
    gone = work("补领证书", {"application_form": form, "reissue": reissue})  # the certificate was cancelled since
    assert "补领原因" in page_problems(gone)


def test_read_only_field_is_refused_when_changed() -> None:
    spec = catalog().pages["unit_info"]
    ctx = FieldContext(application_type="资质申请", fixed={"unit_name": "旧名称有限公司"})
    _, errors = check_page(spec, {"unit_name": "新名称有限公司"}, ctx)
    assert errors["unit_name"].startswith("单位名称不可修改")
    clean, errors = check_page(spec, {"unit_name": ""}, ctx)
    assert "unit_name" not in errors and clean["unit_name"] == "旧名称有限公司"
    assert errors["nature"] == "请选择单位性质"
    _, unknown = check_page(spec, {"colour": "red"}, ctx)
    assert unknown["colour"] == "该页面没有此项"
