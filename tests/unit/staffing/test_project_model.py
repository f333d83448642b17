"""测绘业绩, pure: the 专业类别 vocabulary, 合同金额 (万元, > 0, two decimals), the dates,
completeness by its documents, and the events it records."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any

import msgspec
import pytest

from contracts.staffing import api
from services.staffing import errors
from services.staffing.model.completeness import Attached
from services.staffing.model.project import Project, new_project

ON = dt.date(2025, 6, 30)
NOW = dt.datetime(2025, 6, 30, 2, 0, tzinfo=dt.UTC)
CATEGORIES = frozenset({"工程测量", "大地测量", "地理信息系统工程"})


def form(**overrides: Any) -> api.ProjectCreate:
    payload: dict[str, Any] = {
        "name": "某市1:500地形图测绘",
        "category": "工程测量",
        "amount_wan": "120.50",
        "client": "某市自然资源和规划局",
        "signed_on": "2024-05-01",
        "completed_on": "2025-03-01",
    }
    return msgspec.json.decode(msgspec.json.encode(payload | overrides), type=api.ProjectCreate)


def build(**overrides: Any) -> Project:
    return new_project(form(**overrides), unit_id="u-1", categories=CATEGORIES, on=ON, now=NOW)


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("120.50", "120.50"),
        ("120.5", "120.50"),
        (120.5, "120.50"),  # a JSON number
        ("0.01", "0.01"),
        ("1", "1.00"),
        ("1.230", "1.23"),  # a trailing zero is not a third decimal
        ("1e2", "100.00"),
        ("100000000", "100000000.00"),  # the largest amount
        (100000000, "100000000.00"),
    ],
)
def test_amounts_with_at_most_two_decimals_are_kept(typed: Any, kept: str) -> None:
    project = build(amount_wan=typed)
    assert project.amount_wan == Decimal(kept)
    assert project.as_api(()).amount_wan == kept


@pytest.mark.parametrize("typed", ["1.234", "0.001", 120.505, "99999999.999"])
def test_three_decimals_are_refused_not_rounded(typed: Any) -> None:
    with pytest.raises(errors.InvalidAmountError) as refused:
        build(amount_wan=typed)
    assert refused.value.details == {"field": "$.amount_wan"}


@pytest.mark.parametrize("typed", ["0", 0, "0.00", "-1", -0.01, "100000000.01", "1e9", "NaN", "Infinity", "-Infinity"])
def test_amounts_out_of_range_are_refused(typed: Any) -> None:
    with pytest.raises(errors.InvalidFieldError) as refused:
        build(amount_wan=typed)
    assert refused.value.details == {"field": "$.amount_wan"}


@pytest.mark.parametrize("typed", ["", "abc", True, None, [1]])
def test_an_amount_that_is_not_a_number_is_refused_by_the_struct(typed: Any) -> None:
    with pytest.raises(msgspec.ValidationError, match=r"\$\.amount_wan"):
        form(amount_wan=typed)


@pytest.mark.parametrize("typed", ["测绘工程", "工程", " "])
def test_a_category_outside_the_standard_is_refused(typed: str) -> None:
    with pytest.raises(errors.UnknownVocabularyError) as refused:
        build(category=typed)
    assert refused.value.details == {"field": "$.category"}
    assert "专业类别" in refused.value.message


@pytest.mark.parametrize(
    ("signed_on", "completed_on", "field"),
    [
        ("2025-07-01", "2025-07-01", "signed_on"),  # signed tomorrow
        ("2025-01-01", "2025-07-01", "completed_on"),  # completed tomorrow
        ("2025-03-02", "2025-03-01", "completed_on"),  # completed before signing
    ],
)
def test_dates_out_of_order_or_in_the_future_are_refused(signed_on: str, completed_on: str, field: str) -> None:
    with pytest.raises(errors.InvalidFieldError) as refused:
        build(signed_on=signed_on, completed_on=completed_on)
    assert refused.value.details == {"field": f"$.{field}"}


@pytest.mark.parametrize(
    ("signed_on", "completed_on"),
    [("2025-06-30", "2025-06-30"), ("2020-01-01", "2020-01-01"), ("2020-01-01", "2025-06-30")],
)
def test_dates_in_order_up_to_today_are_accepted(signed_on: str, completed_on: str) -> None:
    build(signed_on=signed_on, completed_on=completed_on)


@pytest.mark.parametrize("field", ["name", "client"])
def test_blank_name_or_client_is_missing(field: str) -> None:
    with pytest.raises(errors.MissingFieldError) as refused:
        build(**{field: "  "})
    assert refused.value.details == {"field": f"$.{field}"}


CONTRACT = Attached("项目合同", str(uuid.uuid4()))
ACCEPTANCE = Attached("验收证明", str(uuid.uuid4()))


@pytest.mark.parametrize(
    ("attached", "complete", "problems"),
    [
        ((CONTRACT, ACCEPTANCE), True, []),
        ((CONTRACT,), False, ["请上传验收证明"]),
        ((), False, ["请上传项目合同", "请上传验收证明"]),
        ((CONTRACT, Attached("验收证明", "x", usable=False)), False, ["验收证明已被删除，请重新上传"]),
    ],
)
def test_a_project_counts_with_its_contract_and_acceptance(
    attached: tuple[Attached, ...], complete: bool, problems: list[str]
) -> None:
    shown = build().as_api(attached)
    assert (shown.complete, [p.message for p in shown.problems]) == (complete, problems)


def test_an_edit_keeps_the_id_and_creation_time() -> None:
    first = build()
    later = NOW + dt.timedelta(minutes=5)
    edited = new_project(
        form(category="大地测量"), unit_id="u-1", categories=CATEGORIES, on=ON, now=later, replacing=first
    )
    assert (edited.id, edited.created_at, edited.updated_at, edited.category) == (first.id, NOW, later, "大地测量")


def test_events_carry_the_ids_and_the_category() -> None:
    project = build()
    for event in (project.added(), project.updated(), project.removed()):
        assert (event.aggregate_id, event.project_id, event.unit_id, event.category) == (
            str(project.id),
            str(project.id),
            "u-1",
            "工程测量",
        )
