"""Recorded payloads of published event versions still decode: contracts change additively only."""

from __future__ import annotations

from pathlib import Path

import msgspec
import pytest

from contracts import catalog

SAMPLES = Path(__file__).with_name("samples")
FILES = sorted(SAMPLES.glob("*.json"))


def test_every_event_has_a_recorded_sample() -> None:
    recorded = {path.stem for path in FILES}
    missing = sorted(tag for tag in catalog.by_tag if tag not in recorded)
    assert not missing, f"record a sample payload for each event: {SAMPLES}/<tag>.json for {missing}"


@pytest.mark.parametrize("path", FILES, ids=lambda path: path.stem)
def test_a_recorded_payload_still_decodes_as_its_event(path: Path) -> None:
    raw = path.read_bytes()
    event = catalog.decoder.decode(raw)
    assert str(type(event).__struct_config__.tag) == path.stem
    recorded = msgspec.json.decode(raw)
    assert msgspec.to_builtins(event)["event_id"] == recorded["event_id"]
    assert catalog.decoder.decode(catalog.encoder.encode(event)) == event


@pytest.mark.parametrize("path", FILES, ids=lambda path: path.stem)
def test_a_newer_producer_may_add_fields(path: Path) -> None:
    recorded = msgspec.json.decode(path.read_bytes())
    extended = msgspec.json.encode({**recorded, "added_in_a_later_release": {"nested": [1, 2]}})
    assert catalog.decoder.decode(extended) == catalog.decoder.decode(path.read_bytes())
