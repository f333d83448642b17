"""The staffing benchmark's seed writes rows the service itself would write: the sealed 证件号码 opens
to a valid number, its keyed hash is the service's, every column the schema requires is filled, and
the bench unit's persons, instruments and projects are complete exactly as intended."""

from __future__ import annotations

import datetime as dt
import re
import typing
import uuid
from pathlib import Path

import pytest

from bench.staffing_bench import seed
from contracts.staffing import api
from services.staffing.handlers.persons import sealed
from services.staffing.model.completeness import (
    Attached,
    equipment_problems,
    person_problems,
    project_problems,
)
from services.staffing.protection import Protector, generate_key
from services.staffing.rules import DocumentType, IdNumber, mask_id_number, read_id_number

MIGRATION = Path(__file__).resolve().parents[3] / "services/staffing/migrations/0002_roster.sql"
TODAY = dt.date.today()
UNIT = "6f1c2b9e-0000-4000-8000-000000000001"


@pytest.fixture(scope="module")
def keys() -> seed.Keys:
    return seed.Keys(generate_key(), generate_key())


@pytest.fixture(scope="module")
def bench_unit(keys: seed.Keys) -> seed.Roster:
    return seed.bench_unit_roster(UNIT, keys)


def _table(name: str) -> dict[str, str]:
    """Column → its definition, from the CREATE TABLE of the migration."""
    body = re.search(rf"CREATE TABLE {name} \((.*?)\n\);", MIGRATION.read_text(), re.S)
    assert body, name
    lines = [line.strip() for line in body.group(1).splitlines()]
    return {line.split()[0]: line for line in lines if line and not line.startswith(("CONSTRAINT", "PRIMARY", "--"))}


@pytest.mark.parametrize(
    ("table", "columns"),
    [
        ("persons", seed.PERSON_COLUMNS),
        ("known_documents", seed.KNOWN_COLUMNS),
        ("attachments", seed.ATTACHMENT_COLUMNS),
        ("equipment", seed.EQUIPMENT_COLUMNS),
        ("projects", seed.PROJECT_COLUMNS),
    ],
)
def test_the_seed_fills_every_required_column_of_the_schema(table: str, columns: tuple[str, ...]) -> None:
    schema = _table(table)
    required = {c for c, line in schema.items() if "NOT NULL" in line and "DEFAULT" not in line}

    assert set(columns) <= set(schema)
    assert required <= set(columns)


def _persons(roster: seed.Roster) -> list[dict[str, typing.Any]]:
    return [dict(zip(seed.PERSON_COLUMNS, row, strict=True)) for row in roster.persons]


def _attached(roster: seed.Roster) -> dict[str, list[Attached]]:
    known = {row[0]: row for row in roster.known_documents}
    found: dict[str, list[Attached]] = {}
    for owner_id, purpose, document_id in roster.attachments:
        assert known[document_id][2] == purpose
        found.setdefault(owner_id, []).append(Attached(purpose, document_id))
    return found


def test_a_seeded_number_opens_to_a_valid_number_hashed_and_masked_as_the_service_does(keys: seed.Keys) -> None:
    protector: Protector = keys.protector()
    roster = seed.roster_chunk(0, 40, keys)

    for index, person in enumerate(_persons(roster)):
        number = protector.open_text(person["id_number_enc"])
        read = read_id_number(DocumentType.RESIDENT_ID, number, on=TODAY)
        service = sealed(protector, IdNumber(DocumentType.RESIDENT_ID, number))
        assert number == seed.id_number(index)
        assert isinstance(read, IdNumber)
        assert (person["gender"], person["birth_date"]) == (read.sex.value, read.birth_date)  # type: ignore[union-attr]
        assert person["id_number_hash"] == service.key
        assert person["id_number_masked"] == service.masked == mask_id_number(number)
        assert person["unit_id"] == seed.unit_id_of(index % (seed.UNITS - 1))


def test_seeded_persons_are_well_formed_and_complete(keys: seed.Keys) -> None:
    roster = seed.roster_chunk(0, 200, keys)
    attached = _attached(roster)

    for person in _persons(roster):
        uuid.UUID(person["id"])
        assert person["category"] in typing.get_args(api.PersonCategory)
        assert person["education"] in typing.get_args(api.Education)
        if person["category"] == "测绘专业技术人员":
            assert person["title_level"] in typing.get_args(api.TitleLevel)
        problems = person_problems(
            category=person["category"],
            retired=person["retired"],
            substitute_reason=person["substitute_reason"],
            attached=attached.get(person["id"], []),
        )
        assert problems == []
    assert {row[1] for row in roster.known_documents} <= {seed.unit_id_of(n) for n in range(200)}


def test_the_bench_units_500_persons_are_complete_but_for_the_intended_few(bench_unit: seed.Roster) -> None:
    attached = _attached(bench_unit)
    persons = _persons(bench_unit)
    complete = [
        not person_problems(
            category=p["category"],
            retired=p["retired"],
            substitute_reason=p["substitute_reason"],
            attached=attached.get(p["id"], []),
        )
        for p in persons
    ]

    assert len(persons) == seed.BENCH_PERSONS
    assert {p["unit_id"] for p in persons} == {UNIT} == {row[1] for row in bench_unit.known_documents}
    assert sum(complete) == seed.expected_counted()
    assert 0 < seed.BENCH_PERSONS - seed.expected_counted() < seed.BENCH_PERSONS // 10


def test_the_bench_units_instruments_and_projects_are_complete(bench_unit: seed.Roster) -> None:
    attached = _attached(bench_unit)

    for item in bench_unit.equipment:
        row = dict(zip(seed.EQUIPMENT_COLUMNS, item, strict=True))
        assert not equipment_problems(
            equipment_type=row["type"],
            calibration_valid_until=row["calibration_valid_until"],
            attached=attached[row["id"]],
            on=TODAY,
        )
    for project in bench_unit.projects:
        assert not project_problems(attached=attached[project[0]])
    assert len(bench_unit.equipment) == 40 and len(bench_unit.projects) == 30


def test_numbers_are_unique_and_the_added_ones_never_meet_the_seeded_ones() -> None:
    seeded = [seed.id_number(index) for index in range(0, seed.PERSONS, 97)]
    added = [seed.added_number(index) for index in range(2000)]

    assert len(set(seeded)) == len(seeded) and len(set(added)) == len(added)
    assert all(isinstance(read_id_number(DocumentType.RESIDENT_ID, n, on=TODAY), IdNumber) for n in seeded + added)
    assert not {n[:2] for n in seeded} & {n[:2] for n in added}
