"""Reading an upload: the kernel's streaming multipart reader (``kernel/multipart.py``) with the
documents' refusals — a body announcing more than the limit is refused before a byte is read,
one sending more at the first chunk past it; a second file part is refused."""

from __future__ import annotations

from typing import Any

from litestar import Request

from services.kernel.multipart import FORM_OVERHEAD, Refusals, read_form

from .. import errors
from ..model import Upload

__all__ = ["FORM_OVERHEAD", "read_upload"]


def _refusals(max_bytes: int) -> Refusals:
    return Refusals(
        too_large=lambda: errors.FileTooLargeError(max_bytes),
        malformed=errors.InvalidUploadError,
        field_too_long=lambda _: errors.InvalidPurposeError(missing=False),
        second_file=errors.MultipleFilesError,
    )


async def read_upload(request: Request[Any, Any, Any], *, max_bytes: int) -> Upload:
    """The upload's ``purpose`` and ``file``; FileTooLargeError as soon as the body passes the limit."""
    form = await read_form(request, max_bytes=max_bytes, fields=("purpose",), refusals=_refusals(max_bytes))
    if form.file is None:
        raise errors.MissingFileError()
    # The buffer itself, not a copy: 16 uploads at once hold 16 files, not 32.
    purpose, declared = form.text("purpose"), form.declared_type
    return Upload(purpose=purpose, filename=form.filename, declared_type=declared, data=form.file)
