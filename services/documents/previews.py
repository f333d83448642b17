"""Previews: a JPEG at most 1024 px on its long side, of an image (reduced-size decode, EXIF
orientation applied, CMYK / 16-bit / alpha converted) or of a PDF's first page (rendered by
PDFium). Pure functions of the bytes, run in a worker thread (``decoding.Decoding``)."""

from __future__ import annotations

import io
import threading

import pypdfium2 as pdfium
from PIL import Image, ImageOps

from . import errors
from .rules import Kind

__all__ = ["PREVIEW_EDGE", "render"]

PREVIEW_EDGE = 1024
_QUALITY = 85
_SIXTEEN_BIT = frozenset({"I;16", "I;16L", "I;16B", "I;16N", "I"})
_WITH_ALPHA = frozenset({"RGBA", "LA", "PA", "RGBa", "La"})
_PDFIUM = threading.Lock()
"""PDFium is not thread-safe: one document at a time in this process."""


def render(data: bytes, kind: Kind) -> bytes:
    """The preview JPEG of a stored (already checked) file."""
    try:
        image = _first_page(data) if kind is Kind.PDF else _image(data)
    except (OSError, ValueError, SyntaxError, pdfium.PdfiumError):
        raise errors.CorruptFileError() from None
    image = _displayable(image)
    image.thumbnail((PREVIEW_EDGE, PREVIEW_EDGE), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=_QUALITY)
    return out.getvalue()


def _image(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.draft("RGB", (PREVIEW_EDGE, PREVIEW_EDGE))  # JPEG: decode at the smallest DCT scale that fits
    image.load()
    return ImageOps.exif_transpose(image)


def _first_page(data: bytes) -> Image.Image:
    with _PDFIUM:
        document = pdfium.PdfDocument(data)
        try:
            page = document[0]
            width, height = page.get_size()
            if min(width, height) <= 0:
                raise ValueError("empty page")
            bitmap = page.render(scale=PREVIEW_EDGE / max(width, height))
            return bitmap.to_pil().copy()
        finally:
            document.close()


def _displayable(image: Image.Image) -> Image.Image:
    """RGB or grey, 8 bits: scanners write CMYK and 16-bit images; alpha goes onto white."""
    if image.mode in _SIXTEEN_BIT:
        return image.convert("I").point(lambda value: value * (1 / 256)).convert("L")
    if image.mode in _WITH_ALPHA or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, "white")
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    if image.mode not in ("RGB", "L"):
        return image.convert("RGB")
    return image
