"""A unit's persons are its own (property-based, Hypothesis): whatever another unit does — read one,
list, edit (also with the person's own number), remove, by the id in any spelling — it gets
404 or does not see the person, and the owner's row is unchanged afterwards."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.builders.staffing import a_person, an_id_number

from .conftest import Headers, Roster

OWNER = "u-owner"
STRANGERS = ("u-stranger", "u-neighbour")
SPELLINGS: dict[str, Callable[[str], str]] = {
    "as given": lambda person_id: person_id,
    "upper case": str.upper,
    "braces": lambda person_id: "{" + person_id + "}",
    "no hyphens": lambda person_id: uuid.UUID(person_id).hex,
}

operations = st.lists(
    st.tuples(
        st.sampled_from(["get", "list", "put same number", "put new number", "delete"]),
        st.sampled_from(sorted(SPELLINGS)),
    ),
    min_size=1,
    max_size=4,
)


async def row_of(roster: Roster, person_id: str) -> dict[str, Any]:
    conn = await roster.db()
    try:
        row = await conn.fetchrow("SELECT * FROM persons WHERE id = $1::uuid", person_id)
    finally:
        await conn.close()
    assert row is not None
    return dict(row)


async def act(roster: Roster, headers: Headers, operation: str, person_id: str, number: str) -> None:
    """Do ``operation`` as a stranger and check it was refused (or the person not shown)."""
    client = roster.client
    if operation == "list":
        listing = await client.get("/persons", params={"page_size": 500}, headers=headers)
        assert listing.status_code == 200
        assert uuid.UUID(person_id) not in {uuid.UUID(item["id"]) for item in listing.json()["items"]}
        return
    if operation == "get":
        answer = await client.get(f"/persons/{person_id}", headers=headers)
    elif operation == "delete":
        answer = await client.delete(f"/persons/{person_id}", headers=headers)
    else:
        new = number if operation == "put same number" else an_id_number()
        answer = await client.put(f"/persons/{person_id}", json=a_person(name="篡改", id_number=new), headers=headers)
    assert answer.status_code == 404, (operation, answer.text)
    assert answer.json()["code"] == "staffing.person_not_found"


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(stranger=st.sampled_from(STRANGERS), steps=operations, with_documents=st.booleans())
async def test_another_unit_can_neither_read_nor_change_nor_remove_a_units_person(
    roster: Roster,
    unit_headers: Callable[..., Headers],
    stranger: str,
    steps: list[tuple[str, str]],
    with_documents: bool,
) -> None:
    owner, number = unit_headers(OWNER), an_id_number()
    documents = [{"purpose": "身份证", "document_id": await roster.upload(owner, "身份证")}] if with_documents else []
    added = await roster.client.post("/persons", json=a_person(id_number=number, documents=documents), headers=owner)
    assert added.status_code == 201, added.text
    person = added.json()
    before = await row_of(roster, person["id"])

    for operation, spelling in steps:
        await act(roster, unit_headers(stranger), operation, SPELLINGS[spelling](person["id"]), number)

    assert await row_of(roster, person["id"]) == before
    seen = await roster.client.get(f"/persons/{person['id']}", headers=owner)
    assert seen.status_code == 200
    assert seen.json() | {"id_number": None} == person
