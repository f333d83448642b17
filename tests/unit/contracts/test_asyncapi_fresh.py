"""The committed contracts/asyncapi.json is what ``python -m contracts.asyncapi`` generates now."""

from __future__ import annotations

import json

from contracts import asyncapi, catalog
from contracts.subjects import service_of, stream_for, subject_for
from services.kernel import BaseSettings


def test_the_committed_document_is_fresh() -> None:
    committed = asyncapi.DOCUMENT.read_text(encoding="utf-8")
    assert committed == asyncapi.render(), "contracts/asyncapi.json is stale: run `make asyncapi`"


def test_every_event_is_a_channel_on_its_subject_and_stream_with_its_payload_schema() -> None:
    document = json.loads(asyncapi.render())
    assert document["asyncapi"] == "3.0.0"
    tags = {str(cls.__struct_config__.tag): cls for cls in catalog.ALL_EVENTS}
    assert set(document["channels"]) == set(tags) == set(document["components"]["messages"])
    for tag, cls in tags.items():
        channel = document["channels"][tag]
        assert channel["address"] == subject_for(cls)
        assert channel["x-jetstream-stream"] == stream_for(service_of(cls))
        assert stream_for(service_of(cls)) in channel["description"]
        assert channel["messages"] == {tag: {"$ref": f"#/components/messages/{tag}"}}
        message = document["components"]["messages"][tag]
        assert (message["name"], message["title"]) == (tag, cls.__name__)
        schema = document["components"]["schemas"][message["payload"]["$ref"].rsplit("/", 1)[1]]
        assert schema["properties"]["type"]["enum"] == [tag]


def test_every_emitted_event_has_a_send_operation_of_its_service() -> None:
    document = json.loads(asyncapi.render())
    operations = {
        operation["channel"]["$ref"].rsplit("/", 1)[1]: operation for operation in document["operations"].values()
    }
    for cls in catalog.ALL_EVENTS:
        tag = str(cls.__struct_config__.tag)
        if asyncapi.superseded_by(cls) is not None:
            assert tag not in operations and document["components"]["messages"][tag]["deprecated"] is True
            continue
        operation = operations[tag]
        assert operation["action"] == "send"
        assert operation["messages"] == [{"$ref": f"#/channels/{tag}/messages/{tag}"}]
        assert operation["tags"] == [{"$ref": f"#/components/tags/{service_of(cls)}"}]
        assert service_of(cls) in document["components"]["tags"]


def test_the_embedded_server_is_the_default_nats_url() -> None:
    document = json.loads(asyncapi.render())
    servers = {server["host"]: server["protocol"] for server in document["servers"].values()}
    assert servers[asyncapi.EMBEDDED_NATS] == "nats"
    assert BaseSettings().nats_url == f"nats://{asyncapi.EMBEDDED_NATS}"
    assert document["info"]["contact"]["name"] and document["info"]["license"]["name"]
