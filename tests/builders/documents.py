"""Builders of the documents tests: every kind of file the service must accept or refuse, made
here from scratch (Pillow, pypdf, or byte by byte where a library would not write it)."""

from __future__ import annotations

import io
import random
import struct
import zlib
from typing import Any

from PIL import Image
from pypdf import PdfWriter

__all__ = [
    "MB2",
    "a_cmyk_jpeg",
    "a_jpeg",
    "a_jpeg_bomb",
    "a_jpeg_of_size",
    "a_noisy_jpeg",
    "a_pdf",
    "a_pdf_with_attachment",
    "a_pdf_with_hidden_javascript",
    "a_pdf_with_javascript",
    "a_pdf_with_launch",
    "a_png",
    "a_png_16bit",
    "a_png_bomb",
    "an_encrypted_pdf",
    "png_of",
    "reencoded_jpeg",
    "truncated",
    "with_archive_appended",
]

MB2 = 2 * 1024 * 1024
"""DOCUMENTS_MAX_BYTES by default: 2,097,152."""
ARCHIVE = b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + b"\x00" * 16 + b"payload.sh" + b"#!/bin/sh\nrm -rf /\n"
"""What hides after an image's end or a PDF's %%EOF: the start of a zip archive."""


def _encoded(image: Image.Image, fmt: str, **options: Any) -> bytes:
    out = io.BytesIO()
    image.save(out, fmt, **options)
    return out.getvalue()


def a_jpeg(
    width: int = 64, height: int = 48, *, color: tuple[int, int, int] = (200, 30, 30), quality: int = 85
) -> bytes:
    return _encoded(Image.new("RGB", (width, height), color), "JPEG", quality=quality)


def a_noisy_jpeg(width: int, height: int, *, seed: int = 8, quality: int = 90) -> bytes:
    """A JPEG that does not compress well (random pixels), the weight of a real scan."""
    pixels = random.Random(seed).randbytes(width * height * 3)
    return _encoded(Image.frombytes("RGB", (width, height), pixels), "JPEG", quality=quality)


def reencoded_jpeg(data: bytes, **options: Any) -> bytes:
    """``data`` saved again with Pillow's JPEG ``options`` (``progressive``, ``restart_marker_rows``…)."""
    with Image.open(io.BytesIO(data)) as image:
        return _encoded(image, "JPEG", **options)


def a_cmyk_jpeg(width: int = 300, height: int = 200) -> bytes:
    """What print-oriented scanners write."""
    return _encoded(Image.new("CMYK", (width, height), (0, 128, 255, 10)), "JPEG")


def a_jpeg_of_size(total: int, **options: Any) -> bytes:
    """A valid JPEG of exactly ``total`` bytes: comment (COM) segments after SOI fill it up."""
    base = a_noisy_jpeg(400, 300) if total > 200_000 else a_jpeg(**options)
    room = total - len(base)
    if room < 4:
        raise ValueError(f"{total} bytes is too small for the base image ({len(base)})")
    count = -(-room // 65537)
    sizes = [room // count + (1 if index < room % count else 0) for index in range(count)]
    segments = b"".join(b"\xff\xfe" + struct.pack(">H", size - 2) + b"\x20" * (size - 4) for size in sizes)
    result = base[:2] + segments + base[2:]
    assert len(result) == total
    return result


def a_jpeg_bomb(width: int = 60_000, height: int = 60_000) -> bytes:
    """A small JPEG whose frame header (SOF0) declares ``width`` × ``height`` pixels."""
    data = bytearray(a_jpeg())
    sof = data.index(b"\xff\xc0")
    struct.pack_into(">HH", data, sof + 5, height, width)
    return bytes(data)


def a_png(width: int = 64, height: int = 48, *, mode: str = "RGB", color: Any = None) -> bytes:
    fill = color if color is not None else {"RGB": (30, 160, 60), "RGBA": (30, 160, 60, 128), "L": 128}.get(mode, 0)
    return _encoded(Image.new(mode, (width, height), fill), "PNG")


def png_of(width: int, height: int, *, bit_depth: int, color_type: int, rows: bytes, trailer: bytes = b"") -> bytes:
    """A PNG written chunk by chunk (IHDR, one IDAT of ``rows`` compressed, IEND), valid CRCs."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, bit_depth, color_type, 0, 0, 0)
    body = chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")
    return b"\x89PNG\r\n\x1a\n" + body + trailer


def a_png_16bit(width: int = 120, height: int = 80, *, color: bool = True) -> bytes:
    """16 bits per sample, RGB (color type 2) or grey (color type 0): what some scanners write."""
    samples = 3 if color else 1
    row = b"".join(struct.pack(">H", (x * 521) % 65536) * samples for x in range(width))
    return png_of(width, height, bit_depth=16, color_type=2 if color else 0, rows=(b"\x00" + row) * height)


def a_png_bomb(width: int = 40_000, height: int = 40_000) -> bytes:
    """A PNG of a few hundred bytes whose header declares ``width`` × ``height`` grey pixels."""
    return png_of(width, height, bit_depth=8, color_type=0, rows=b"\x00" * (width + 1) * 4)


def truncated(data: bytes, keep: float = 0.6) -> bytes:
    return data[: int(len(data) * keep)]


def with_archive_appended(data: bytes) -> bytes:
    """A polyglot: the file, then an archive after its end marker / %%EOF."""
    return data + ARCHIVE


_CONTENT = b"q 0 0 1 rg 100 100 395 642 re f Q"
"""A page painted blue but for a white margin: the preview shows it."""


def a_pdf(*, catalog: bytes = b"", extra: tuple[bytes, ...] = (), tail: bytes = b"") -> bytes:
    """A one-page PDF written object by object with a correct xref; ``catalog`` adds entries to
    the document catalog, ``extra`` adds objects (numbered from 5), ``tail`` follows %%EOF."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R " + catalog + b">>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(_CONTENT) + _CONTENT + b"\nendstream",
        *extra,
    ]
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out) + tail


def a_pdf_with_javascript() -> bytes:
    return a_pdf(catalog=b"/OpenAction << /S /JavaScript /JS (app.alert\\(1\\)) >> ")


def a_pdf_with_hidden_javascript() -> bytes:
    """JavaScript in the document's name tree, its names hex-escaped (``/J#61vaScript``)."""
    return a_pdf(
        catalog=b"/Names << /J#61vaScript 5 0 R >> ", extra=(b"<< /Names [(x) << /S /J#61vaScript /J#53 (1) >>] >>",)
    )


def a_pdf_with_launch() -> bytes:
    return a_pdf(catalog=b"/OpenAction << /S /Launch /F (calc.exe) >> ")


def a_pdf_with_attachment() -> bytes:
    embedded = b"<< /Type /EmbeddedFile /Length 5 >>\nstream\nhello\nendstream"
    spec = b"<< /Type /Filespec /F (a.txt) /EF << /F 6 0 R >> >>"
    names = b"<< /Names [(a.txt) 5 0 R] >>"
    return a_pdf(catalog=b"/Names << /EmbeddedFiles 7 0 R >> ", extra=(spec, embedded, names))


def an_encrypted_pdf(user_password: str = "") -> bytes:
    """Encrypted (RC4/AES by pypdf), even with an empty user password."""
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    writer.encrypt(user_password, "owner-secret", algorithm="AES-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
