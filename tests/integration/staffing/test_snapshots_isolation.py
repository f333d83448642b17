"""Property: a snapshot is read by its own unit (masked), by an authority whose jurisdiction covers
the snapshot's (in full), and by nobody else — whoever else asks is told it does not exist."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from services.staffing.protection import Protector

from .conftest import Headers, Roster
from .roster_rows import insert_person

Sign = Callable[..., Headers]
UNITS = ("u-a", "u-b", "u-c")
DIVISIONS = ("000000", "110000", "110100", "110105", "110108", "120000", "120101", "350000")
"""The country, Beijing, a city, two districts, Tianjin and a district of it, Fujian."""

readers = st.one_of(
    st.builds(lambda unit: {"role": "unit", "unit_id": unit}, st.sampled_from(UNITS)),
    st.builds(
        lambda role, division: {"role": role, "jurisdiction": division},
        st.sampled_from(("authority", "admin")),
        st.sampled_from(DIVISIONS),
    ),
)


def contains(outer: str, inner: str) -> bool:
    """The division ``outer`` holds ``inner``: the country holds all; a province (xx0000) its
    codes; a city (xxxx00) its districts; a district itself."""
    if outer == "000000":
        return True
    if outer.endswith("0000"):
        return inner[:2] == outer[:2]
    if outer.endswith("00"):
        return inner[:4] == outer[:4]
    return inner == outer


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(owner=st.sampled_from(UNITS), jurisdiction=st.sampled_from(DIVISIONS[1:]), reader=readers)
async def test_nobody_reads_a_snapshot_outside_their_unit_or_jurisdiction(
    roster: Roster, protector: Protector, sign: Sign, owner: str, jurisdiction: str, reader: dict[str, Any]
) -> None:
    run = uuid.uuid4().hex[:8]  # each example's units are its own
    owner_id = f"{owner}-{run}"
    conn = await roster.db()
    try:
        _, number = await insert_person(conn, protector, owner_id)
    finally:
        await conn.close()
    body = {"unit_id": owner_id, "application_id": f"app-{run}", "revision": 0, "jurisdiction": jurisdiction}
    taken = await roster.client.post(
        "/snapshots", json=body, headers=sign(account_id="service:applications", role="system")
    )
    assert taken.status_code == 201, taken.text

    claims = reader | {"unit_id": f"{reader['unit_id']}-{run}"} if "unit_id" in reader else reader
    answer = await roster.client.get(f"/snapshots/{taken.json()['id']}", headers=sign(**claims))
    full = reader["role"] != "unit" and contains(reader["jurisdiction"], jurisdiction)
    if reader.get("unit_id") == owner or full:
        assert answer.status_code == 200
        (person,) = answer.json()["persons"]
        assert person["id_number"] == (number if full else None)
    else:
        assert answer.status_code == 404
        assert number not in answer.text
