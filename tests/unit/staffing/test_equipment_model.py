"""技术装备, pure: the vocabulary, the normalised 出厂编号, the dates, completeness on a day
(a valid 检定/校准 included; software needs none) and the events it records."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import msgspec
import pytest

from contracts.staffing import api, events
from services.staffing import errors
from services.staffing.model.completeness import Attached
from services.staffing.model.equipment import Equipment, new_equipment
from services.staffing.rules import normalise_serial

ON = dt.date(2025, 6, 30)
NOW = dt.datetime(2025, 6, 30, 2, 0, tzinfo=dt.UTC)
TYPES = frozenset({"全站仪", "GNSS接收机", "水准仪", "地理信息处理软件", "地理信息系统平台软件"})
BOTH = (Attached("检定证书", str(uuid.uuid4())), Attached("购置发票", str(uuid.uuid4())))


def form(**overrides: Any) -> api.EquipmentCreate:
    payload: dict[str, Any] = {
        "type": "全站仪",
        "brand": "徕卡",
        "model": "TS16",
        "serial": "SN-0001",
        "purchased_on": "2024-03-01",
        "calibration_valid_until": "2026-03-01",
    }
    return msgspec.convert(payload | overrides, api.EquipmentCreate)


def build(**overrides: Any) -> Equipment:
    return new_equipment(form(**overrides), unit_id="u-1", types=TYPES, on=ON, now=NOW)


def codes(equipment: Equipment, attached: tuple[Attached, ...] = BOTH, on: dt.date = ON) -> list[str]:
    return [p.code for p in equipment.problems(attached, on=on)]


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("SN-0001", "SN-0001"),
        ("  SN-0001  ", "SN-0001"),  # trimmed
        ("sn-0001", "SN-0001"),  # upper case
        ("ＳＮ－０００１", "SN-0001"),  # full-width to half-width
        ("ｓｎ-０００１", "SN-0001"),
        ("SN\u30000001", "SN 0001"),  # an ideographic space is a space
        ("SN  \t 0001", "SN 0001"),  # inner blanks collapse to one space
    ],
)
def test_the_serial_is_normalised(typed: str, stored: str) -> None:
    assert build(serial=typed).serial == stored == normalise_serial(typed)


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("SN-O001", "SN-0001"),  # letter O and digit 0
        ("SNI001", "SN1001"),  # letter I and digit 1
        ("SN-0001", "SN0001"),  # a hyphen is kept
        ("SN.0001", "SN-0001"),
        ("SN 0001", "SN0001"),  # a space inside is kept
    ],
)
def test_different_serials_stay_different(one: str, other: str) -> None:
    assert build(serial=one).key != build(serial=other).key


def test_a_serial_of_blanks_only_is_missing() -> None:
    with pytest.raises(errors.MissingFieldError) as refused:
        build(serial="\u3000 ")
    assert refused.value.details == {"field": "$.serial"}


@pytest.mark.parametrize("field", ["brand", "model"])
def test_blank_brand_or_model_is_missing(field: str) -> None:
    with pytest.raises(errors.MissingFieldError) as refused:
        build(**{field: "   "})
    assert refused.value.details == {"field": f"$.{field}"}


@pytest.mark.parametrize("typed", ["经纬仪", "全站", "全站仪 2", ""])
def test_a_type_outside_the_standard_is_refused(typed: str) -> None:
    payload = {"type": typed} if typed else {"type": " "}
    with pytest.raises(errors.UnknownVocabularyError) as refused:
        build(**payload)
    assert refused.value.details == {"field": "$.type"}
    assert "设备类型" in refused.value.message


def test_a_type_is_trimmed() -> None:
    assert build(type=" 全站仪 ").type == "全站仪"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"purchased_on": "2025-07-01"}, "purchased_on"),  # tomorrow
        ({"purchased_on": "2025-01-02", "calibration_valid_until": "2025-01-01"}, "calibration_valid_until"),
    ],
)
def test_dates_out_of_order_are_refused(overrides: dict[str, str], field: str) -> None:
    with pytest.raises(errors.InvalidFieldError) as refused:
        build(**overrides)
    assert refused.value.details == {"field": f"$.{field}"}


@pytest.mark.parametrize(
    "overrides",
    [
        {"purchased_on": "2025-06-30"},  # today
        {"purchased_on": "2025-01-01", "calibration_valid_until": "2025-01-01"},  # calibrated on the day
        {"calibration_valid_until": None},
    ],
)
def test_dates_in_order_are_accepted(overrides: dict[str, Any]) -> None:
    build(**overrides)


@pytest.mark.parametrize(
    ("valid_until", "problems"),
    [
        ("2026-03-01", []),
        ("2025-06-30", []),  # valid through the day itself
        ("2025-06-29", ["calibration_expired"]),
        (None, ["calibration_missing"]),
    ],
)
def test_an_instrument_counts_only_while_its_calibration_is_valid(valid_until: str | None, problems: list[str]) -> None:
    assert codes(build(calibration_valid_until=valid_until)) == problems


def test_the_same_instrument_stops_counting_once_its_calibration_expires() -> None:
    equipment = build(calibration_valid_until="2025-06-30")
    assert codes(equipment, on=ON) == []
    assert codes(equipment, on=ON + dt.timedelta(days=1)) == ["calibration_expired"]


@pytest.mark.parametrize("software", ["地理信息处理软件", "地理信息系统平台软件"])
def test_software_needs_no_calibration(software: str) -> None:
    equipment = build(type=software, calibration_valid_until=None)
    assert codes(equipment, attached=(Attached("购置发票", str(uuid.uuid4())),)) == []


@pytest.mark.parametrize(
    ("attached", "problems"),
    [
        ((), ["missing_document", "missing_document"]),
        ((BOTH[0],), ["missing_document"]),
        ((BOTH[0], Attached("购置发票", "d", usable=False)), ["document_deleted"]),
    ],
)
def test_documents_missing_or_deleted_make_it_incomplete(attached: tuple[Attached, ...], problems: list[str]) -> None:
    assert codes(build(), attached=attached) == problems


def test_as_api_shows_completeness_and_the_documents() -> None:
    equipment = build(calibration_valid_until="2025-01-01")
    shown = equipment.as_api(BOTH, on=ON)
    assert (shown.complete, [p.code for p in shown.problems]) == (False, ["calibration_expired"])
    assert [(d.purpose, d.document_id) for d in shown.documents] == [(a.purpose, a.document_id) for a in BOTH]
    assert (shown.id, shown.unit_id, shown.created_at) == (str(equipment.id), "u-1", NOW)


def test_an_edit_keeps_the_id_and_creation_time() -> None:
    first = build()
    later = NOW + dt.timedelta(hours=1)
    edited = new_equipment(form(brand="拓普康"), unit_id="u-1", types=TYPES, on=ON, now=later, replacing=first)
    assert (edited.id, edited.created_at, edited.updated_at, edited.brand) == (first.id, NOW, later, "拓普康")


def test_events_carry_the_ids_and_the_type() -> None:
    equipment = build()
    for event in (equipment.added(), equipment.updated(), equipment.removed()):
        assert (event.aggregate_id, event.equipment_id, event.unit_id) == (str(equipment.id),) * 2 + ("u-1",)
        assert event.equipment_type == "全站仪"
    assert isinstance(equipment.added(), events.EquipmentAdded)
    assert isinstance(equipment.removed(), events.EquipmentRemoved)
