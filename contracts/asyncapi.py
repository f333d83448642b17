"""The AsyncAPI 2.6 document of every event: ``python -m contracts.asyncapi`` writes asyncapi.json.

One channel per subject (``subject_for``) with its JetStream stream (``x-stream``), the message
and its payload's JSON schema from ``msgspec.json.schema_components``. The committed file is
generated; a test regenerates it and fails when it is stale.
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

__all__ = ["DOCUMENT", "build", "main", "render"]

DOCUMENT = Path(__file__).with_name("asyncapi.json")
_REF = "#/components/schemas/{name}"


def _description(cls: type[Event]) -> str:
    return inspect.cleandoc(cls.__doc__ or cls.__name__)


def _message(cls: type[Event], schema: dict[str, Any]) -> dict[str, Any]:
    tag = str(cls.__struct_config__.tag)
    return {
        "name": tag,
        "title": cls.__name__,
        "summary": _description(cls).splitlines()[0],
        "contentType": "application/json",
        "headers": {
            "type": "object",
            "properties": {
                "Nats-Msg-Id": {"type": "string", "format": "uuid", "description": "The event id (deduplication)."},
                "traceparent": {"type": "string", "description": "W3C trace context of the emitting request."},
            },
        },
        "payload": schema,
    }


def _channel(cls: type[Event]) -> dict[str, Any]:
    tag = str(cls.__struct_config__.tag)
    return {
        "description": _description(cls),
        "x-stream": stream_for(service_of(cls)),
        "subscribe": {
            "operationId": f"on{cls.__name__}",
            "summary": f"{service_of(cls)} publishes; subscribers consume it through a durable pull consumer.",
            "message": {"$ref": f"#/components/messages/{tag}"},
        },
    }


def build() -> dict[str, Any]:
    """The document as a dict (deterministic: ordered by subject)."""
    schemas, components = msgspec.json.schema_components(ALL_EVENTS, ref_template=_REF)
    pairs = zip(ALL_EVENTS, schemas, strict=True)
    messages = {str(cls.__struct_config__.tag): _message(cls, schema) for cls, schema in pairs}
    return {
        "asyncapi": "2.6.0",
        "id": "urn:qual:events",
        "info": {
            "title": "全国测绘资质管理信息系统 — events",
            "version": "1.0.0",
            "description": (
                "Every event the services publish to NATS JetStream through their transactional "
                "outbox. Subjects are `qual.<service>.<name>.v<N>` (the event's `type` tag); each "
                f"producing service owns the stream `QUAL_<SERVICE>`. Poison messages of a consumer "
                f"go to `{dlq_subject('<durable>')}` in the stream `{DLQ_STREAM}`. Changes are "
                "additive; a breaking change is a new `.vN`."
            ),
        },
        "defaultContentType": "application/json",
        "channels": {subject_for(cls): _channel(cls) for cls in ALL_EVENTS},
        "components": {"messages": messages, "schemas": components},
    }


def render() -> str:
    return json.dumps(build(), ensure_ascii=False, indent=2, sort_keys=False) + "\n"


def main() -> None:
    DOCUMENT.write_text(render(), encoding="utf-8")
    print(f"wrote {DOCUMENT} ({len(ALL_EVENTS)} events)", file=sys.stderr)


if __name__ == "__main__":
    main()
