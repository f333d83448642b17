"""No event carries personal data nobody needs: JetStream keeps every event for the stream's life.

A field named like personal data (a person's mobile, ID number, name, password…) anywhere in an
event, nested Structs included, fails this test. The only exceptions are superseded versions
listed below, which are no longer emitted but must stay decodable for the events in the streams.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import msgspec
import pytest

from contracts import asyncapi, catalog
from contracts.base import Event

PERSONAL = re.compile(r"mobile|phone|id_?number|id_?card|contact_name|person_name|real_name|password|e_?mail|birth")
ALLOWED = {"identity.unit_account_registered.v1": {"contact_name", "mobile"}}
"""Tag → personal fields of a superseded version (deprecated, still decodable, never emitted)."""


def _tag(cls: type[Event]) -> str:
    return str(cls.__struct_config__.tag)


def _fields(info: msgspec.inspect.Type, path: str, seen: frozenset[type]) -> Iterator[str]:
    """Every field under ``info`` as a path (``a[].b``), through containers, unions and Structs."""
    if isinstance(info, msgspec.inspect.StructType):
        if info.cls in seen:
            return
        for field in info.fields:
            name = f"{path}.{field.encode_name}".lstrip(".")
            yield name
            yield from _fields(field.type, name, seen | {info.cls})
    elif isinstance(info, msgspec.inspect.UnionType):
        for member in info.types:
            yield from _fields(member, path, seen)
    else:
        for item in _items(info):
            yield from _fields(item, f"{path}[]", seen)


def _items(info: msgspec.inspect.Type) -> tuple[msgspec.inspect.Type, ...]:
    if isinstance(info, msgspec.inspect.TupleType):
        return info.item_types
    if isinstance(info, msgspec.inspect.DictType):
        return (info.key_type, info.value_type)
    item = getattr(info, "item_type", None)  # list, set, frozenset, variadic tuple
    return (item,) if isinstance(item, msgspec.inspect.Type) else ()


def personal_fields(cls: type[Event]) -> set[str]:
    paths = _fields(msgspec.inspect.type_info(cls), "", frozenset())
    return {path for path in paths if PERSONAL.search(path.rsplit(".", 1)[-1].lower())}


@pytest.mark.parametrize("cls", catalog.ALL_EVENTS, ids=_tag)
def test_no_event_carries_personal_data(cls: type[Event]) -> None:
    found = personal_fields(cls) - ALLOWED.get(_tag(cls), set())
    assert not found, f"{_tag(cls)} carries personal data {sorted(found)}: leave it in the owning service"


@pytest.mark.parametrize("tag", sorted(ALLOWED))
def test_only_superseded_events_that_still_need_it_are_allowed(tag: str) -> None:
    cls = catalog.by_tag[tag]
    assert asyncapi.superseded_by(cls) is not None, f"{tag} is still emitted: it may not carry personal data"
    assert personal_fields(cls) == ALLOWED[tag], f"update the allowed fields of {tag}"


class Contact(msgspec.Struct):
    contact_mobile: str


class Probe(Event, frozen=True, tag="probe.nested.v1"):
    """Not in the catalog: shows that nested personal data is found."""

    contacts: list[Contact]
    by_name: dict[str, Contact | None]
    owner: Contact | None = None


def test_personal_data_is_found_in_nested_structs() -> None:
    assert personal_fields(Probe) == {"contacts[].contact_mobile", "by_name[].contact_mobile", "owner.contact_mobile"}
