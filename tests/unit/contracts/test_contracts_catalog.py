"""The event catalog: unique tags, a subject per event, encode/decode round trips."""

from __future__ import annotations

from pathlib import Path

import msgspec
import pytest

from contracts import catalog
from contracts.base import Event
from contracts.subjects import service_of, stream_for, subject_for

SAMPLES = Path(__file__).with_name("samples")


def _tag(cls: type[Event]) -> str:
    return str(cls.__struct_config__.tag)


def test_every_events_module_is_in_the_catalog() -> None:
    root = Path(catalog.__file__).parent
    on_disk = sorted(f"contracts.{path.parent.name}.events" for path in root.glob("*/events.py"))
    assert sorted(module.__name__ for module in catalog.EVENT_MODULES) == on_disk
    assert catalog.ALL_EVENTS, "no events found"


def test_tags_are_unique_and_explicit() -> None:
    tags = [cls.__struct_config__.tag for cls in catalog.ALL_EVENTS]
    assert all(isinstance(tag, str) for tag in tags)
    assert len(set(tags)) == len(tags)


@pytest.mark.parametrize("cls", catalog.ALL_EVENTS, ids=_tag)
def test_every_event_has_a_subject_in_its_services_stream(cls: type[Event]) -> None:
    subject = subject_for(cls)
    assert subject == f"qual.{_tag(cls)}"
    assert catalog.by_subject[subject] is cls
    assert catalog.by_tag[_tag(cls)] is cls
    assert stream_for(service_of(cls)) == f"QUAL_{subject.split('.')[1].upper()}"
    assert _tag(cls).rsplit(".", 1)[1].startswith("v")


def _sample(cls: type[Event]) -> bytes:
    """The recorded payload of ``cls`` (test_contracts_compat requires one for every event)."""
    path = SAMPLES / f"{_tag(cls)}.json"
    if not path.exists():
        pytest.fail(f"no recorded sample {path.name}: record one in {SAMPLES}")
    return path.read_bytes()


@pytest.mark.parametrize("cls", catalog.ALL_EVENTS, ids=_tag)
def test_every_event_round_trips_through_the_catalog_decoder(cls: type[Event]) -> None:
    event = catalog.decoder.decode(_sample(cls))
    assert type(event) is cls
    data = catalog.encoder.encode(event)
    assert msgspec.json.decode(data)["type"] == _tag(cls)
    assert catalog.decoder.decode(data) == event
    assert msgspec.json.decode(data, type=cls) == event
