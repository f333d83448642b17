"""Reading a ``multipart/form-data`` upload as it streams in (``multipart.PushMultipartParser``).

One ``file`` part is kept in memory up to ``max_bytes`` and never beyond; the named short text
fields up to ``MAX_FIELD`` bytes; any other part is read past. A body that announces more than
the file plus ``FORM_OVERHEAD`` is refused before a byte is read, one that sends more at the first
chunk past it. What each refusal is (its code and words) is the service's: it passes ``Refusals``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from litestar import Request
from multipart import MultipartError, MultipartSegment, PushMultipartParser, parse_options_header

__all__ = ["FORM_OVERHEAD", "MAX_FIELD", "Form", "Refusals", "header_text", "read_form"]

FORM_OVERHEAD = 64 * 1024
"""What a body may hold besides the file: boundaries, part headers, the short fields."""
MAX_FIELD = 1024
_MAX_PARTS = 8


@dataclass(frozen=True)
class Refusals:
    """The service's errors: the body too large, not a form, a second file part (None: read past
    it), and a text field too long (given its name)."""

    too_large: Callable[[], Exception]
    malformed: Callable[[], Exception]
    field_too_long: Callable[[str], Exception]
    second_file: Callable[[], Exception] | None = None


@dataclass
class Form:
    """The parts read: the file (the buffer itself, not a copy), its name and declared type as sent
    (decoded by ``header_text``), and each named field's bytes (the first part of that name)."""

    file: bytearray | None = None
    filename: str | None = None
    declared_type: str | None = None
    fields: dict[str, bytearray] = field(default_factory=dict)

    def text(self, name: str) -> str | None:
        value = self.fields.get(name)
        return None if value is None else bytes(value).decode("utf-8", errors="replace")


class _Reader:
    def __init__(self, max_bytes: int, names: frozenset[str], refusals: Refusals) -> None:
        self.form, self.max_bytes, self.names, self.refusals = Form(), max_bytes, names, refusals
        self._current: bytearray | None = None
        self._field = ""

    def feed(self, event: MultipartSegment | bytes | None) -> None:
        if isinstance(event, MultipartSegment):
            self._current = self._start(event)
        elif event is None:
            self._current = None
        elif self._current is not None:
            self._current += event
            if self._current is self.form.file and len(self._current) > self.max_bytes:
                raise self.refusals.too_large()
            if self._current is not self.form.file and len(self._current) > MAX_FIELD:
                raise self.refusals.field_too_long(self._field)

    def _start(self, segment: MultipartSegment) -> bytearray | None:
        if segment.name == "file":
            if self.form.file is not None:
                if self.refusals.second_file is not None:
                    raise self.refusals.second_file()
                return None
            self.form.file = bytearray()
            self.form.filename, self.form.declared_type = header_text(segment.filename), segment.content_type
            return self.form.file
        if segment.name in self.names and segment.name not in self.form.fields:
            self._field = segment.name
            self.form.fields[segment.name] = bytearray()
            return self.form.fields[segment.name]
        return None  # any other part is read past, within the body's bound


async def read_form(
    request: Request[Any, Any, Any], *, max_bytes: int, fields: Iterable[str] = (), refusals: Refusals
) -> Form:
    """The upload's parts; ``refusals.too_large()`` as soon as the body passes the bound."""
    boundary = _boundary(request.headers.get("content-type", ""), refusals)
    bound = max_bytes + FORM_OVERHEAD
    announced = request.headers.get("content-length", "")
    if announced.isdigit() and int(announced) > bound:
        raise refusals.too_large()
    reader, received = _Reader(max_bytes, frozenset(fields), refusals), 0
    parser = PushMultipartParser(boundary, max_segment_count=_MAX_PARTS, header_charset="latin1")
    try:
        async for chunk in request.stream():
            received += len(chunk)
            if received > bound:
                raise refusals.too_large()
            for event in parser.parse(chunk):
                reader.feed(event)
        parser.close()
    except MultipartError:
        raise refusals.malformed() from None
    return reader.form


def header_text(raw_text: str | None) -> str | None:
    """A part header's text from its raw bytes (read as latin-1): UTF-8 as browsers send it, else
    GB 18030 as older Chinese Windows clients do."""
    if raw_text is None:
        return None
    raw = raw_text.encode("latin1", errors="replace")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("gb18030", errors="replace")


def _boundary(content_type: str, refusals: Refusals) -> str:
    kind, options = parse_options_header(content_type)
    boundary = options.get("boundary", "")
    if kind != "multipart/form-data" or not boundary:
        raise refusals.malformed()
    return str(boundary)
