"""Pure rules of authority accounts (jurisdictions, role names) and of what an approval changes."""

from __future__ import annotations

import datetime as dt
import uuid

import msgspec
import pytest

from contracts.applications.events import ApplicationApproved, UnitParticulars
from contracts.identity.api import AuthorityAccountCreate
from services.identity import errors, model, rules


@pytest.mark.parametrize("code", ["000000", "110000", "650000", "540000", "460000"])
def test_the_ministry_and_the_provinces_are_jurisdictions(code: str) -> None:
    assert rules.is_authority_jurisdiction(code)


@pytest.mark.parametrize("code", ["110100", "710000", "810000", "990000", "11000", "", "abcdef"])
def test_cities_taiwan_hong_kong_and_nonsense_are_not(code: str) -> None:
    assert not rules.is_authority_jurisdiction(code)


@pytest.mark.parametrize(
    ("text", "roles"),
    [
        ("受理,审查,审批", ["acceptance", "review", "approval"]),
        ("审批，受理", ["acceptance", "approval"]),
        (" 审查 , 审查 ", ["review"]),
        ("approval,受理", ["acceptance", "approval"]),
    ],
)
def test_role_names_map_to_roles_in_workflow_order(text: str, roles: list[str]) -> None:
    assert rules.roles_from_names(text) == roles


@pytest.mark.parametrize("text", ["", " , ", "受理,局长", "admin"])
def test_unknown_or_no_role_names_are_refused(text: str) -> None:
    with pytest.raises(ValueError):
        rules.roles_from_names(text)


def request(**overrides: object) -> AuthorityAccountCreate:
    fields: dict[str, object] = {
        "username": "bj_office",
        "password": "Str0ng-pass",
        "org_name": " 北京市规划和自然资源委员会 ",
        "jurisdiction": "110000",
        "roles": ["approval", "acceptance", "approval"],
    }
    return AuthorityAccountCreate(**{**fields, **overrides})  # type: ignore[arg-type]


def test_an_authority_account_has_its_distinct_roles_and_trimmed_org_name() -> None:
    account = model.authority_account(request(), password_hash="h")
    assert (account.role, account.unit_id, account.jurisdiction) == ("authority", None, "110000")
    assert (account.roles, account.org_name) == (("acceptance", "approval"), "北京市规划和自然资源委员会")


@pytest.mark.parametrize(
    ("overrides", "error"),
    [
        ({"jurisdiction": "110100"}, errors.InvalidJurisdictionError),
        ({"password": "password"}, errors.WeakPasswordError),
        ({"org_name": "  "}, errors.BlankFieldError),
    ],
)
def test_an_authority_request_breaking_a_rule_is_refused(overrides: dict[str, object], error: type[Exception]) -> None:
    with pytest.raises(error):
        model.check_authority_account(request(**overrides))


def test_the_administrator_is_the_ministry() -> None:
    admin = model.administrator(password_hash="h")
    assert (admin.username, admin.role, admin.jurisdiction, admin.org_name, admin.roles) == (
        "admin",
        "admin",
        "000000",
        "自然资源部",
        (),
    )


def approval(application_type: str, **fields: object) -> ApplicationApproved:
    return ApplicationApproved(
        aggregate_id="a",
        application_id=str(uuid.uuid4()),
        unit_id=str(uuid.uuid4()),
        revision=0,
        application_type=application_type,
        certificate_type="乙级资质证书",
        jurisdiction="110000",
        approved_on=dt.date(2026, 12, 1),
        **fields,  # type: ignore[arg-type]
    )


def test_a_registration_verifies_with_the_pages_particulars() -> None:
    unit = UnitParticulars(
        unit_name=" 某测绘 (集团) 公司 ", credit_code="x", registered_address="北京", legal_representative="李四"
    )
    change = model.particulars_change(approval("新单位注册", unit=unit))
    assert change is not None and change.verify
    assert (change.name, change.name_key, change.registered_address, change.legal_representative) == (
        "某测绘 (集团) 公司",
        "某测绘(集团)公司",
        "北京",
        "李四",
    )


def test_a_change_of_particulars_sets_only_what_it_names() -> None:
    change = model.particulars_change(
        approval("基本信息变更", changes={"registered_address": "上海", "unit_name": " "})
    )
    assert change is not None and not change.verify
    assert (change.name, change.registered_address, change.legal_representative) == (None, "上海", None)


def test_other_approvals_and_foreign_ids_change_nothing() -> None:
    assert model.particulars_change(approval("资质申请")) is None
    foreign = msgspec.structs.replace(approval("新单位注册"), unit_id="u-1")
    assert model.particulars_change(foreign) is None
