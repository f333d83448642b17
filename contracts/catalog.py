"""The catalog of every event: ``ALL_EVENTS``, the ``AnyEvent`` union, one decoder, ``by_subject``.

Built from every ``contracts/<service>/events.py`` module, found on disk, so a service's new
events module joins the catalog (and the AsyncAPI document) without an edit here. An event is
a subclass of ``contracts.base.Event`` defined in that module with its explicit string tag.
"""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path
from types import ModuleType
from typing import Any, Union

import msgspec

from contracts.base import Event
from contracts.subjects import subject_for

__all__ = ["ALL_EVENTS", "EVENT_MODULES", "AnyEvent", "by_subject", "by_tag", "decoder", "encoder"]

_ROOT = Path(__file__).parent


def _event_modules() -> tuple[ModuleType, ...]:
    found = []
    for package in sorted(info.name for info in pkgutil.iter_modules([str(_ROOT)]) if info.ispkg):
        if (_ROOT / package / "events.py").is_file():
            found.append(importlib.import_module(f"contracts.{package}.events"))
    return tuple(found)


def _events_of(module: ModuleType) -> list[type[Event]]:
    return [
        value
        for value in vars(module).values()
        if isinstance(value, type)
        and issubclass(value, Event)
        and value is not Event
        and value.__module__ == module.__name__
    ]


EVENT_MODULES: tuple[ModuleType, ...] = _event_modules()
ALL_EVENTS: tuple[type[Event], ...] = tuple(
    sorted((cls for module in EVENT_MODULES for cls in _events_of(module)), key=subject_for)
)
"""Every event class, ordered by subject."""

AnyEvent: Any = Union[ALL_EVENTS]  # noqa: UP007 - built at run time from the tuple  # type: ignore[valid-type]
"""The tagged union of every event; decoding dispatches on ``"type"``."""

decoder: msgspec.json.Decoder[Any] = msgspec.json.Decoder(AnyEvent)
"""The one reusable decoder of any event payload."""

encoder = msgspec.json.Encoder()

by_subject: dict[str, type[Event]] = {subject_for(cls): cls for cls in ALL_EVENTS}
"""``qual.<service>.<name>.v<N>`` → event class."""

by_tag: dict[str, type[Event]] = {str(cls.__struct_config__.tag): cls for cls in ALL_EVENTS}
"""``<service>.<name>.v<N>`` (the ``"type"`` field) → event class."""
