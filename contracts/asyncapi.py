"""The AsyncAPI 3.0 document of every event: ``python -m contracts.asyncapi`` writes asyncapi.json.

Generated from the catalog, ordered by subject. Each event has a channel (keyed by its tag, with
its NATS subject as ``address`` and its JetStream stream in ``x-jetstream-stream``, since the NATS
bindings have no stream field), a message in ``components.messages`` (keyed by its tag, payload
schema from ``msgspec.json.schema_components``) and a ``send`` operation of its producing service,
tagged with that service. An event superseded by a newer version of the same name (``….v1`` when
``….v2`` exists) is no longer emitted: it keeps its channel and message, marked deprecated, for
the events still in the stream, but has no operation. A test validates the document against the
official AsyncAPI 3.0.0 JSON Schema, and another fails when the committed file is stale.
"""

from __future__ import annotations

import inspect
import json
import sys
from pathlib import Path
from typing import Any

import msgspec

from contracts.base import Event
from contracts.catalog import ALL_EVENTS
from contracts.subjects import DLQ_STREAM, dlq_subject, service_of, stream_for, subject_for

__all__ = ["DOCUMENT", "build", "main", "render", "superseded_by"]

DOCUMENT = Path(__file__).with_name("asyncapi.json")
EMBEDDED_NATS = "127.0.0.1:14222"
CONTACT = {"name": "全国测绘资质管理信息系统 平台组 (platform team)"}
LICENSE = {"name": "Proprietary: all rights reserved"}
_REF = "#/components/schemas/{name}"
_HEADERS = {
    "type": "object",
    "properties": {
        "Nats-Msg-Id": {"type": "string", "format": "uuid", "description": "The event id (deduplication)."},
        "traceparent": {"type": "string", "description": "W3C trace context of the emitting request."},
    },
}


def _tag(cls: type[Event]) -> str:
    return str(cls.__struct_config__.tag)


def _description(cls: type[Event]) -> str:
    return inspect.cleandoc(cls.__doc__ or cls.__name__)


def superseded_by(cls: type[Event]) -> type[Event] | None:
    """The newest version of the same event when it is newer than ``cls``, else None."""
    name, _, version = _tag(cls).rpartition(".v")
    newer = [other for other in ALL_EVENTS if _tag(other).rpartition(".v")[0] == name]
    latest = max(newer, key=lambda other: int(_tag(other).rpartition(".v")[2]))
    return latest if int(_tag(latest).rpartition(".v")[2]) > int(version) else None


def _service_tag(cls: type[Event]) -> dict[str, str]:
    return {"$ref": f"#/components/tags/{service_of(cls)}"}


def _message(cls: type[Event], schema: dict[str, Any]) -> dict[str, Any]:
    message: dict[str, Any] = {
        "name": _tag(cls),
        "title": cls.__name__,
        "summary": _description(cls).splitlines()[0],
        "description": _description(cls),
        "contentType": "application/json",
        "headers": _HEADERS,
        "payload": schema,
        "tags": [_service_tag(cls)],
    }
    if superseded_by(cls) is not None:
        message["deprecated"] = True
    return message


def _channel(cls: type[Event]) -> dict[str, Any]:
    stream, newer = stream_for(service_of(cls)), superseded_by(cls)
    emitted = f"superseded by `{_tag(newer)}`, no longer emitted" if newer else f"emitted by {service_of(cls)}"
    return {
        "address": subject_for(cls),
        "title": cls.__name__,
        "summary": _description(cls).splitlines()[0],
        "description": f"NATS subject `{subject_for(cls)}` in the JetStream stream `{stream}` ({emitted}).",
        "messages": {_tag(cls): {"$ref": f"#/components/messages/{_tag(cls)}"}},
        "tags": [_service_tag(cls)],
        "x-jetstream-stream": stream,
    }


def _operation(cls: type[Event]) -> dict[str, Any]:
    service, tag = service_of(cls), _tag(cls)
    return {
        "action": "send",
        "channel": {"$ref": f"#/channels/{tag}"},
        "messages": [{"$ref": f"#/channels/{tag}/messages/{tag}"}],
        "title": f"{service} publishes {cls.__name__}",
        "description": (
            f"{service} writes the event to its outbox in the transaction that changes the aggregate; "
            "the relay publishes it with `Nats-Msg-Id` = event id. Consumers read it through durable "
            f"pull consumers on the stream `{stream_for(service)}`."
        ),
        "tags": [_service_tag(cls)],
    }


def _servers() -> dict[str, Any]:
    return {
        "embedded": {
            "host": EMBEDDED_NATS,
            "protocol": "nats",
            "title": "Embedded nats-server",
            "description": "The nats-server `make run` starts, JetStream on disk (the default `NATS_URL`).",
        },
        "production": {
            "host": "{host}:{port}",
            "protocol": "nats",
            "title": "Production NATS cluster",
            "description": "Any NATS with JetStream (`NATS_URL`); in production streams have 3 replicas.",
            "variables": {
                "host": {"default": "nats.example", "description": "The NATS cluster's host name."},
                "port": {"default": "4222", "description": "Its client port."},
            },
        },
    }


def _tags() -> dict[str, Any]:
    services = sorted({service_of(cls) for cls in ALL_EVENTS})
    return {
        name: {"name": name, "description": f"Events {name} emits, kept in the stream `{stream_for(name)}`."}
        for name in services
    }


def _info() -> dict[str, Any]:
    return {
        "title": "全国测绘资质管理信息系统 — events",
        "version": "1.1.0",
        "description": (
            "Every event the services publish to NATS JetStream through their transactional "
            "outbox. Subjects are `qual.<service>.<name>.v<N>` (the event's `type` tag); each "
            "producing service owns the stream `QUAL_<SERVICE>`. Poison messages of a consumer "
            f"go to `{dlq_subject('<durable>')}` in the stream `{DLQ_STREAM}`. Changes are "
            "additive; a breaking change is a new `.vN`."
        ),
        "contact": CONTACT,
        "license": LICENSE,
    }


def build() -> dict[str, Any]:
    """The document as a dict (deterministic: ordered by subject)."""
    schemas, components = msgspec.json.schema_components(ALL_EVENTS, ref_template=_REF)
    messages = {_tag(cls): _message(cls, schema) for cls, schema in zip(ALL_EVENTS, schemas, strict=True)}
    emitted = [cls for cls in ALL_EVENTS if superseded_by(cls) is None]
    return {
        "asyncapi": "3.0.0",
        "id": "urn:qual:events",
        "info": _info(),
        "servers": _servers(),
        "defaultContentType": "application/json",
        "channels": {_tag(cls): _channel(cls) for cls in ALL_EVENTS},
        "operations": {f"send{cls.__name__}": _operation(cls) for cls in emitted},
        "components": {"schemas": components, "messages": messages, "tags": _tags()},
    }


def render() -> str:
    return json.dumps(build(), ensure_ascii=False, indent=2, sort_keys=False) + "\n"


def main() -> None:
    DOCUMENT.write_text(render(), encoding="utf-8")
    print(f"wrote {DOCUMENT} ({len(ALL_EVENTS)} events)", file=sys.stderr)


if __name__ == "__main__":
    main()
