"""PDF checks: nothing but whitespace after the last ``%%EOF``, then a parse (pypdf) that refuses
encrypted files and any object reachable from the trailer that carries JavaScript, a launch
action or embedded files (names are compared decoded, so ``/J#61vaScript`` is ``/JavaScript``)."""

from __future__ import annotations

import io
import logging

from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject, PdfObject

from .. import errors
from ..errors import PdfHazard
from ..rules import Data

__all__ = ["check", "hazard_of"]

logger = logging.getLogger(__name__)

_EOF = b"%%EOF"
_WHITESPACE = b"\x00\t\n\x0c\r "
"""PDF white-space characters (ISO 32000-1, 7.2.2)."""
_HAZARDS: dict[str, PdfHazard] = {
    "/JS": PdfHazard.JAVASCRIPT,
    "/JavaScript": PdfHazard.JAVASCRIPT,
    "/Launch": PdfHazard.LAUNCH,
    "/EmbeddedFiles": PdfHazard.EMBEDDED_FILES,
    "/EmbeddedFile": PdfHazard.EMBEDDED_FILES,
    "/FileAttachment": PdfHazard.EMBEDDED_FILES,
}
"""A name that, as a dictionary key or a value (``/S /Launch``, ``/Type /EmbeddedFile``), makes a PDF unsafe."""
_MAX_CONTAINERS = 500_000


def check(data: Data) -> None:
    eof = data.rfind(_EOF)
    if eof < 0:
        raise errors.CorruptFileError()
    if data[eof + len(_EOF) :].strip(_WHITESPACE):
        raise errors.PolyglotError()
    hazard = _parse(data)
    if hazard is not None:
        raise errors.UnsafePdfError(hazard)


def _parse(data: Data) -> PdfHazard | None:
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            return PdfHazard.ENCRYPTED
        if len(reader.pages) < 1:
            raise errors.CorruptFileError()
        return hazard_of(reader.trailer)
    except errors.CorruptFileError:
        raise
    # pypdf fails on hostile bytes in many ways (PdfReadError, KeyError, TypeError, RecursionError…):
    # whatever it raises here, the file does not parse, which is the uploader's problem, not a 500.
    except Exception as exc:
        logger.info("refused an unparsable PDF: %s: %s", type(exc).__name__, exc)
        raise errors.CorruptFileError() from None


def hazard_of(root: PdfObject) -> PdfHazard | None:
    """The first hazard found among the objects reachable from ``root`` (streams not decoded)."""
    seen: set[tuple[int, int]] = set()
    pending: list[PdfObject | None] = [root]
    visited = 0
    while pending:
        item = pending.pop()
        if isinstance(item, IndirectObject):
            if (item.idnum, item.generation) in seen:
                continue
            seen.add((item.idnum, item.generation))
            item = item.get_object()
        visited += 1
        if visited > _MAX_CONTAINERS:
            raise errors.CorruptFileError()
        if isinstance(item, DictionaryObject):
            values = list(item.values())
            names = [*item.keys(), *(value for value in values if isinstance(value, NameObject))]
        elif isinstance(item, ArrayObject):
            values, names = list(item), [value for value in item if isinstance(value, NameObject)]
        else:
            continue
        for name in names:
            if name in _HAZARDS:
                return _HAZARDS[name]
        pending.extend(value for value in values if isinstance(value, (DictionaryObject, ArrayObject, IndirectObject)))
    return None
