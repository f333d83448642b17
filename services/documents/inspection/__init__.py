"""Inspection of an uploaded file by its bytes: the kind (jpg, png, pdf) read from the magic bytes
must agree with the name's extension and the part's declared type; then images are walked and
decoded (bombs, truncation, trailing data) and PDFs parsed (encryption, scripts, launch actions,
embedded files, trailing data). Pure functions of the bytes: the handler runs them in a worker
thread (``decoding.Decoding``)."""

from __future__ import annotations

from .. import errors, rules
from ..rules import Data, Kind
from . import images, pdfs, sniffing

__all__ = ["inspect"]


def inspect(data: Data, *, filename: str, declared_type: str | None, max_pixels: int) -> Kind:
    """The kind of ``data``, or the refusal that says what is wrong with it (errors.py)."""
    if not data:
        raise errors.EmptyFileError()
    kind = sniffing.sniff(data)
    named = rules.extension_kind(filename)
    if kind is None or named is None:
        raise errors.UnsupportedTypeError()
    declared = (declared_type or "").strip().lower()
    if named is not kind or (declared not in rules.UNDECLARED and rules.declared_kind(declared) is not kind):
        raise errors.ContentMismatchError()
    if kind is Kind.PDF:
        pdfs.check(data)
    else:
        images.check(data, kind, max_pixels=max_pixels)
    return kind
