"""Subject and stream names, derived from event classes so nobody types a subject by hand."""

from __future__ import annotations

from typing import Any

SUBJECT_PREFIX = "qual"
DLQ_STREAM = "QUAL_DLQ"


def subject_for(event_cls: Any) -> str:
    """``qual.<service>.<name>.v<N>`` from the event's tag ``<service>.<name>.v<N>``."""
    tag = event_cls.__struct_config__.tag
    if not isinstance(tag, str):
        raise TypeError(f"{event_cls.__name__} has no explicit string tag")
    return f"{SUBJECT_PREFIX}.{tag}"


def service_of(event_cls: Any) -> str:
    return subject_for(event_cls).split(".")[1]


def stream_for(service: str) -> str:
    """One JetStream stream per producing service: ``QUAL_<SERVICE>``."""
    return f"QUAL_{service.upper()}"


def stream_subjects(service: str) -> list[str]:
    return [f"{SUBJECT_PREFIX}.{service}.>"]


def dlq_subject(consumer: str) -> str:
    """Where a consumer's poison messages go after the last failed attempt."""
    return f"{SUBJECT_PREFIX}.dlq.{consumer}"
