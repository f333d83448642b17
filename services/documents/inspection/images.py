"""Image checks: the structure walked marker by marker (JPEG) or chunk by chunk (PNG), the pixel
count read from the header before any decoding, nothing after the end marker, then one decode
(reduced-size for JPEG) that fails on truncated or corrupt data."""

from __future__ import annotations

import io
import struct
import zlib
from dataclasses import dataclass

from PIL import Image

from .. import errors
from ..rules import Data, Kind

__all__ = ["Layout", "check", "layout_of"]

_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_JPEG_SOF = frozenset({0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF})
_JPEG_STANDALONE = frozenset({0x01, *range(0xD0, 0xD8)})  # TEM, RST0–7: no length
_JPEG_SOS, _JPEG_EOI = 0xDA, 0xD9
_DECODE_FAILURES = (OSError, SyntaxError, ValueError, EOFError, struct.error, Image.DecompressionBombError)
"""What Pillow raises on a truncated or corrupt image (``OSError: image file is truncated``…)."""


@dataclass(frozen=True)
class Layout:
    """What the walk found: the declared size and where the image ends."""

    width: int
    height: int
    end: int


def check(data: Data, kind: Kind, *, max_pixels: int) -> None:
    layout = layout_of(data, kind)
    if layout.width * layout.height > max_pixels:
        raise errors.DecompressionBombError(max_pixels)
    if layout.end != len(data):
        raise errors.PolyglotError()
    _decode(data, kind)


def layout_of(data: Data, kind: Kind) -> Layout:
    """The image's declared size and end; CorruptFileError when the structure is broken."""
    layout = _jpeg_layout(data) if kind is Kind.JPEG else _png_layout(data)
    if layout is None or layout.width == 0 or layout.height == 0:
        raise errors.CorruptFileError()
    return layout


def _jpeg_layout(data: Data) -> Layout | None:
    if not data.startswith(b"\xff\xd8"):
        return None
    size: tuple[int, int] | None = None
    pos, end = 2, len(data)
    while pos < end and data[pos] == 0xFF:
        while pos < end and data[pos] == 0xFF:  # fill bytes before a marker
            pos += 1
        if pos >= end:
            return None
        marker = data[pos]
        pos += 1
        if marker == _JPEG_EOI:
            return None if size is None else Layout(size[0], size[1], pos)
        if marker in _JPEG_STANDALONE:
            continue
        length = int.from_bytes(data[pos : pos + 2], "big")
        if length < 2 or pos + length > end:
            return None
        if marker in _JPEG_SOF and length >= 8:
            height, width = struct.unpack_from(">HH", data, pos + 3)
            size = (width, height)
        pos += length
        if marker == _JPEG_SOS:
            pos = _after_entropy_data(data, pos)
    return None


def _after_entropy_data(data: Data, pos: int) -> int:
    """The offset of the first marker after a scan's entropy-coded data (``len(data)`` if none)."""
    while True:
        found = data.find(b"\xff", pos)
        if found < 0 or found + 1 >= len(data):
            return len(data)
        following = data[found + 1]
        if following == 0x00 or 0xD0 <= following <= 0xD7:  # stuffed byte or restart marker
            pos = found + 2
        elif following == 0xFF:  # fill byte
            pos = found + 1
        else:
            return found


def _png_layout(data: Data) -> Layout | None:
    if not data.startswith(_PNG_SIGNATURE):
        return None
    view = memoryview(data)
    pos, size = len(_PNG_SIGNATURE), None
    while pos + 12 <= len(data):
        length = int.from_bytes(data[pos : pos + 4], "big")
        chunk_type, after = data[pos + 4 : pos + 8], pos + 12 + length
        if after > len(data) or zlib.crc32(view[pos + 4 : pos + 8 + length]) != int.from_bytes(
            data[after - 4 : after], "big"
        ):
            return None
        if size is None:
            if chunk_type != b"IHDR" or length != 13:
                return None
            size = struct.unpack_from(">II", data, pos + 8)
        if chunk_type == b"IEND":
            return Layout(size[0], size[1], after)
        pos = after
    return None


def _decode(data: Data, kind: Kind) -> None:
    try:
        with Image.open(io.BytesIO(data), formats=[kind.name]) as image:
            if kind is Kind.JPEG:
                image.draft(image.mode, (1, 1))  # the smallest DCT scale: every block decoded, 1/64 the pixels
            image.load()
    except _DECODE_FAILURES:
        raise errors.CorruptFileError() from None
