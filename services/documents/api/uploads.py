"""Reading an upload: the multipart body parsed as it streams in (``multipart.PushMultipartParser``),
the file kept in memory up to the limit and never beyond — a body announcing more is refused
before a byte is read, one sending more is refused at the first chunk past the limit."""

from __future__ import annotations

from typing import Any

from litestar import Request
from multipart import MultipartError, MultipartSegment, PushMultipartParser, parse_options_header

from .. import errors
from ..model import Upload

__all__ = ["FORM_OVERHEAD", "read_upload"]

FORM_OVERHEAD = 64 * 1024
"""What a body may hold besides the file: boundaries, part headers, the purpose field."""
_MAX_FIELD = 1024
_MAX_PARTS = 8


class _Form:
    """The parts of one upload as the parser emits them: ``purpose`` and one ``file``."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.purpose: bytearray | None = None
        self.file: bytearray | None = None
        self.filename: str | None = None
        self.declared_type: str | None = None
        self._current: bytearray | None = None

    def feed(self, event: MultipartSegment | bytes | None) -> None:
        if isinstance(event, MultipartSegment):
            self._current = self._start(event)
        elif event is None:
            self._current = None
        elif self._current is not None:
            self._current += event
            if self._current is self.file and len(self._current) > self.max_bytes:
                raise errors.FileTooLargeError(self.max_bytes)
            if self._current is self.purpose and len(self._current) > _MAX_FIELD:
                raise errors.InvalidPurposeError(missing=False)

    def _start(self, segment: MultipartSegment) -> bytearray | None:
        if segment.name == "file":
            if self.file is not None:
                raise errors.MultipleFilesError()
            self.file, self.filename, self.declared_type = bytearray(), _decoded(segment.filename), segment.content_type
            return self.file
        if segment.name == "purpose" and self.purpose is None:
            self.purpose = bytearray()
            return self.purpose
        return None  # any other field is read past, within the body's bound

    def upload(self) -> Upload:
        if self.file is None:
            raise errors.MissingFileError()
        purpose = None if self.purpose is None else bytes(self.purpose).decode("utf-8", errors="replace")
        # The buffer itself, not a copy: 16 uploads at once hold 16 files, not 32.
        return Upload(purpose=purpose, filename=self.filename, declared_type=self.declared_type, data=self.file)


async def read_upload(request: Request[Any, Any, Any], *, max_bytes: int) -> Upload:
    """The upload's parts; FileTooLargeError as soon as the body passes the limit."""
    boundary = _boundary(request.headers.get("content-type", ""))
    bound = max_bytes + FORM_OVERHEAD
    announced = request.headers.get("content-length")
    if announced is not None and announced.isdigit() and int(announced) > bound:
        raise errors.FileTooLargeError(max_bytes)
    form, received = _Form(max_bytes), 0
    parser = PushMultipartParser(boundary, max_segment_count=_MAX_PARTS, header_charset="latin1")
    try:
        async for chunk in request.stream():
            received += len(chunk)
            if received > bound:
                raise errors.FileTooLargeError(max_bytes)
            for event in parser.parse(chunk):
                form.feed(event)
        parser.close()
    except MultipartError:
        raise errors.InvalidUploadError() from None
    return form.upload()


def _decoded(header_text: str | None) -> str | None:
    """A part header's text from its raw bytes (read as latin-1): UTF-8 as browsers send it, else
    GB 18030 as older Chinese Windows clients do."""
    if header_text is None:
        return None
    raw = header_text.encode("latin1")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("gb18030", errors="replace")


def _boundary(content_type: str) -> str:
    kind, options = parse_options_header(content_type)
    boundary = options.get("boundary", "")
    if kind != "multipart/form-data" or not boundary:
        raise errors.InvalidUploadError()
    return str(boundary)
