"""Who may read (property-based, Hypothesis): over random units, authorities (jurisdictions and
roles), services and the gateway's anonymous visitor, and random freezes, nobody outside the rule
reads, lists, previews, deletes or freezes a document — and everybody inside it does.

The rule, written here independently of the service: the owning unit's users; a service; an
authority (or the administrator) whose jurisdiction covers a freeze holding the document.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import httpx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.builders import documents as files

from .conftest import Headers

UNITS = ("unit-a", "unit-b", "unit-c")
DIVISIONS = ("000000", "110000", "110100", "110105", "350000", "350100", "350200", "999999")
PNG = files.a_png(8, 8)
Sign = Callable[..., Headers]


@dataclass(frozen=True)
class Who:
    role: str
    unit_id: str | None = None
    jurisdiction: str | None = None
    account_id: str | None = None

    def headers(self, sign: Sign) -> Headers:
        claims = {key: value for key, value in vars(self).items() if value is not None}
        return sign(audience="documents", **claims)


callers = st.one_of(
    st.builds(Who, role=st.just("unit"), unit_id=st.sampled_from(UNITS)),
    st.builds(Who, role=st.sampled_from(["authority", "admin"]), jurisdiction=st.sampled_from(DIVISIONS)),
    st.just(Who(role="system", account_id="service:applications")),
    st.just(Who(role="system", account_id="gateway")),  # the gateway's anonymous visitor
)


def covers(authority: str, resource: str) -> bool:
    """GB/T 2260: ``110000`` covers ``110105``; ``000000`` (自然资源部) covers everything."""
    prefix = authority
    while prefix.endswith("00"):
        prefix = prefix[:-2]
    return resource.startswith(prefix)


def may_read(who: Who, owner: str, freezes: list[str]) -> bool:
    if who.role == "unit":
        return who.unit_id == owner
    if who.role == "system":
        return who.account_id == "service:applications"
    return any(covers(who.jurisdiction or "", frozen) for frozen in freezes)


def freeze_request(owner: str, document_id: str, jurisdiction: str) -> dict[str, object]:
    return {
        "application_id": str(uuid.uuid4()),
        "revision": 1,
        "unit_id": owner,
        "jurisdiction": jurisdiction,
        "document_ids": [document_id],
    }


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    owner=st.sampled_from(UNITS),
    freezes=st.lists(st.sampled_from(DIVISIONS[:-1]), max_size=2),
    who=callers,
    freeze_to=st.sampled_from(DIVISIONS[:-1]),
)
async def test_nobody_outside_the_rule_reads_lists_previews_deletes_or_freezes(
    client: httpx.AsyncClient,
    upload: Callable[..., Awaitable[httpx.Response]],
    sign: Sign,
    service: Headers,
    owner: str,
    freezes: list[str],
    who: Who,
    freeze_to: str,
) -> None:
    stored = await upload(sign(role="unit", unit_id=owner, audience="documents"), PNG, filename="d.png")
    document_id = stored.json()["id"]
    for jurisdiction in freezes:
        made = await client.post("/freezes", json=freeze_request(owner, document_id, jurisdiction), headers=service)
        assert made.status_code == 201
    headers, readable = who.headers(sign), may_read(who, owner, freezes)

    for path in ("", "/content", "/preview"):
        response = await client.get(f"/documents/{document_id}{path}", headers=headers)
        assert response.status_code == (200 if readable else 404), (path, response.text)

    listing = await client.get("/documents", headers=headers, params={"page_size": 100})
    if who.role == "unit":
        listed = {item["id"] for item in listing.json()["items"]}
        assert (document_id in listed) == (who.unit_id == owner)
    else:
        assert listing.status_code == 403

    freezing = await client.post("/freezes", json=freeze_request(owner, document_id, freeze_to), headers=headers)
    is_service = who.account_id == "service:applications"
    assert freezing.status_code == (201 if is_service else 403)
    frozen = bool(freezes) or is_service

    removal = await client.delete(f"/documents/{document_id}", headers=headers)
    deleted = who.role == "unit" and who.unit_id == owner and not frozen
    if deleted:
        assert removal.status_code == 204
    elif who.role == "unit" and who.unit_id == owner:
        assert removal.status_code == 409
    else:
        assert removal.status_code == (404 if who.role == "unit" else 403)
    still_there = await client.get(f"/documents/{document_id}", headers=service)
    assert still_there.status_code == (404 if deleted else 200)
