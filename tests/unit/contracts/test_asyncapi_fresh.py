"""The committed contracts/asyncapi.json is what ``python -m contracts.asyncapi`` generates now."""

from __future__ import annotations

import json

from contracts import asyncapi, catalog
from contracts.subjects import stream_for, subject_for


def test_the_committed_document_is_fresh() -> None:
    committed = asyncapi.DOCUMENT.read_text(encoding="utf-8")
    assert committed == asyncapi.render(), "contracts/asyncapi.json is stale: run `make asyncapi`"


def test_every_subject_is_a_channel_with_its_stream_and_payload_schema() -> None:
    document = json.loads(asyncapi.render())
    assert document["asyncapi"].startswith("2.6")
    assert set(document["channels"]) == {subject_for(cls) for cls in catalog.ALL_EVENTS}
    for cls in catalog.ALL_EVENTS:
        channel = document["channels"][subject_for(cls)]
        assert channel["x-stream"] == stream_for(subject_for(cls).split(".")[1])
        message_name = channel["subscribe"]["message"]["$ref"].rsplit("/", 1)[1]
        payload = document["components"]["messages"][message_name]["payload"]
        schema = document["components"]["schemas"][payload["$ref"].rsplit("/", 1)[1]]
        assert schema["properties"]["type"]["enum"] == [cls.__struct_config__.tag]
