"""The 单位信息 pages' forms say what the staffing API takes: a field for every field of the create
request, required exactly where the request has no default, the Literal vocabularies as the
choices of their selects, and a 材料类型 slot for every document the completeness rules ask for."""

from __future__ import annotations

import typing
from pathlib import Path

import msgspec
import pytest
from jinja2 import Environment, FileSystemLoader

from contracts.staffing.api import EquipmentCreate, PersonCreate, ProjectCreate
from gateway.portal.roster_pages import EQUIPMENT, PAGES, PERSONS, PROJECTS, RosterPage
from services.staffing.model.completeness import EQUIPMENT_PURPOSES, PERSON_PURPOSES, PROJECT_PURPOSES

TEMPLATES = Path(__file__).resolve().parents[3] / "gateway" / "portal" / "templates"
CASES = [
    (PERSONS, PersonCreate, PERSON_PURPOSES),
    (EQUIPMENT, EquipmentCreate, EQUIPMENT_PURPOSES),
    (PROJECTS, ProjectCreate, PROJECT_PURPOSES),
]
IDS = [spec.kind for spec, _, _ in CASES]


def _literal_choices(annotation: object) -> tuple[str, ...]:
    """The values of a Literal, also inside ``X | None`` and ``Annotated[...]``."""
    if typing.get_origin(annotation) is typing.Literal:
        return tuple(str(value) for value in typing.get_args(annotation))
    for inner in typing.get_args(annotation):
        found = _literal_choices(inner)
        if found:
            return found
    return ()


@pytest.mark.parametrize(("spec", "create", "purposes"), CASES, ids=IDS)
def test_every_request_field_is_on_the_form_and_nothing_else(spec: RosterPage, create: type, purposes: object) -> None:
    fields = {field.name for field in msgspec.structs.fields(create)} - {"documents"}
    assert sorted(field.name for field in spec.fields) == sorted(fields)


@pytest.mark.parametrize(("spec", "create", "purposes"), CASES, ids=IDS)
def test_a_field_is_marked_required_exactly_when_the_request_requires_it(
    spec: RosterPage, create: type, purposes: object
) -> None:
    required = {field.name for field in msgspec.structs.fields(create) if field.required}
    marked = {field.name for field in spec.fields if field.required}
    preset = {field.name for field in spec.fields if field.default}  # 证件类型: 居民身份证 unless changed
    assert marked - preset == required


@pytest.mark.parametrize(("spec", "create", "purposes"), CASES, ids=IDS)
def test_a_literal_vocabulary_is_offered_whole_as_a_select(spec: RosterPage, create: type, purposes: object) -> None:
    hints = typing.get_type_hints(create, include_extras=True)
    for field in spec.fields:
        choices = _literal_choices(hints[field.name])
        if choices:
            assert field.kind == "select", field.name
            assert field.options == choices, field.name


@pytest.mark.parametrize(("spec", "create", "purposes"), CASES, ids=IDS)
def test_every_document_the_rules_ask_for_has_a_slot(spec: RosterPage, create: type, purposes: object) -> None:
    assert set(spec.purposes) == purposes


def test_the_standards_vocabularies_feed_the_equipment_type_and_the_project_category() -> None:
    assert {field.name: field.vocabulary for field in EQUIPMENT.fields if field.vocabulary} == {
        "type": "equipment_types"
    }
    assert {field.name: field.vocabulary for field in PROJECTS.fields if field.vocabulary} == {"category": "categories"}


@pytest.mark.parametrize("kind", sorted(PAGES))
def test_each_page_renders_its_fields_labelled_and_described(kind: str) -> None:
    spec = PAGES[kind]
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=True)
    session = {"unit_name": "测绘单位<甲>", "username": "u1"}
    html = env.get_template(f"roster_{kind}.html").render(
        site_title="全国测绘资质管理信息系统", session=session, csrf_token="t", spec=spec, upload_max_bytes=2 << 20
    )
    assert "测绘单位&lt;甲&gt;" in html and "测绘单位<甲>" not in html
    for field in spec.fields:
        control = f'id="{kind}-f-{field.name}"'
        assert control in html, field.name
        assert f'for="{kind}-f-{field.name}"' in html, field.name
        assert f'id="{kind}-e-{field.name}" role="alert" data-error-for="{field.name}"' in html, field.name
    for purpose in spec.purposes:
        assert f'data-slot="{purpose}"' in html
    assert html.count("<dialog") == 2 + bool(spec.fulfilment) + spec.legacy
