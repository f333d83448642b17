"""Sniffing and validation of uploads on a corpus the tests make themselves: what is accepted, and
the refusal (code, status) of everything else."""

from __future__ import annotations

import pytest

from services.documents import errors
from services.documents.inspection import images, inspect
from services.documents.rules import Kind
from tests.builders import documents as files

MAX_PIXELS = 50_000_000


def check(data: bytes, filename: str, declared: str | None = None) -> Kind:
    return inspect(data, filename=filename, declared_type=declared, max_pixels=MAX_PIXELS)


@pytest.mark.parametrize(
    ("data", "filename", "declared", "kind"),
    [
        (files.a_jpeg(), "scan.jpg", "image/jpeg", Kind.JPEG),
        (files.a_jpeg(), "SCAN.JPEG", None, Kind.JPEG),
        (files.a_noisy_jpeg(640, 480), "photo.jpg", "application/octet-stream", Kind.JPEG),
        (files.a_cmyk_jpeg(), "cmyk.jpg", "image/jpeg", Kind.JPEG),
        (files.a_png(), "scan.png", "image/png", Kind.PNG),
        (files.a_png(mode="RGBA"), "alpha.png", None, Kind.PNG),
        (files.a_png_16bit(color=True), "deep-colour.png", "image/png", Kind.PNG),
        (files.a_png_16bit(color=False), "deep-grey.png", None, Kind.PNG),
        (files.a_pdf(), "statement.pdf", "application/pdf", Kind.PDF),
        (files.a_pdf(tail=b"\r\n \x00\t\n"), "trailing-whitespace.pdf", None, Kind.PDF),
        (files.a_jpeg_of_size(files.MB2), "exactly-2MB.jpg", None, Kind.JPEG),
    ],
    ids=[
        "jpg",
        "jpeg-extension",
        "undeclared-type",
        "cmyk",
        "png",
        "rgba",
        "16-bit-rgb",
        "16-bit-grey",
        "pdf",
        "pdf-whitespace-after-eof",
        "exactly-2MB",
    ],
)
def test_accepted(data: bytes, filename: str, declared: str | None, kind: Kind) -> None:
    assert check(data, filename, declared) is kind


NOISY = files.a_noisy_jpeg(320, 240)


@pytest.mark.parametrize(
    ("data", "filename", "declared", "refusal"),
    [
        (b"", "empty.jpg", None, errors.EmptyFileError),
        (b"GIF89a" + bytes(40), "a.gif", None, errors.UnsupportedTypeError),
        (b"PK\x03\x04" + bytes(40), "a.zip", None, errors.UnsupportedTypeError),
        (b"MZ" + bytes(200), "a.exe", None, errors.UnsupportedTypeError),
        (b"hello, this is text", "a.txt", None, errors.UnsupportedTypeError),
        (files.a_jpeg(), "a.gif", None, errors.UnsupportedTypeError),
        (files.a_jpeg(), "noextension", None, errors.UnsupportedTypeError),
        (files.a_pdf(), "renamed.jpg", None, errors.ContentMismatchError),
        (files.a_jpeg(), "renamed.png", None, errors.ContentMismatchError),
        (files.a_png(), "renamed.pdf", None, errors.ContentMismatchError),
        (files.a_jpeg(), "scan.jpg", "application/pdf", errors.ContentMismatchError),
        (files.a_jpeg(), "scan.jpg", "text/html", errors.ContentMismatchError),
        (files.truncated(NOISY), "cut.jpg", None, errors.CorruptFileError),
        (files.truncated(NOISY, keep=0.98), "cut-late.jpg", None, errors.CorruptFileError),
        (NOISY[:-2], "no-end-marker.jpg", None, errors.CorruptFileError),
        (files.truncated(files.a_png()), "cut.png", None, errors.CorruptFileError),
        (files.a_png()[:-12], "no-iend.png", None, errors.CorruptFileError),
        (files.truncated(files.a_pdf()), "cut.pdf", None, errors.CorruptFileError),
        (b"%PDF-1.7\n1 0 obj garbage\n%%EOF\n", "garbage.pdf", None, errors.CorruptFileError),
        (files.a_png_bomb(), "bomb.png", None, errors.DecompressionBombError),
        (files.a_jpeg_bomb(), "bomb.jpg", None, errors.DecompressionBombError),
        (files.with_archive_appended(files.a_jpeg()), "polyglot.jpg", None, errors.PolyglotError),
        (files.with_archive_appended(files.a_png()), "polyglot.png", None, errors.PolyglotError),
        (files.with_archive_appended(files.a_pdf()), "polyglot.pdf", None, errors.PolyglotError),
        (files.a_pdf(tail=b"<script>alert(1)</script>"), "html-after-eof.pdf", None, errors.PolyglotError),
        (files.an_encrypted_pdf(), "encrypted.pdf", None, errors.UnsafePdfError),
        (files.an_encrypted_pdf("secret"), "password.pdf", None, errors.UnsafePdfError),
        (files.a_pdf_with_javascript(), "javascript.pdf", None, errors.UnsafePdfError),
        (files.a_pdf_with_hidden_javascript(), "hidden-javascript.pdf", None, errors.UnsafePdfError),
        (files.a_pdf_with_launch(), "launch.pdf", None, errors.UnsafePdfError),
        (files.a_pdf_with_attachment(), "attachment.pdf", None, errors.UnsafePdfError),
    ],
    ids=lambda value: value if isinstance(value, str) else None,
)
def test_refused(data: bytes, filename: str, declared: str | None, refusal: type[errors.DomainError]) -> None:
    with pytest.raises(refusal) as raised:
        check(data, filename, declared)
    assert raised.value.message and raised.value.status_code in (400, 413, 415, 422)
    assert raised.value.details["field"] == "$.file"


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (files.an_encrypted_pdf(), "encrypted"),
        (files.a_pdf_with_javascript(), "javascript"),
        (files.a_pdf_with_hidden_javascript(), "javascript"),
        (files.a_pdf_with_launch(), "launch"),
        (files.a_pdf_with_attachment(), "embedded_files"),
    ],
)
def test_an_unsafe_pdf_says_why(data: bytes, reason: str) -> None:
    with pytest.raises(errors.UnsafePdfError) as raised:
        check(data, "x.pdf")
    assert raised.value.code == "unsafe_pdf" and raised.value.status_code == 422
    assert raised.value.details["reason"] == reason


def test_the_pixel_bound_is_read_from_the_header_before_any_decoding() -> None:
    bomb = files.a_png_bomb(40_000, 40_000)
    assert len(bomb) < 1024 * 64  # 1.6 G pixels declared in a few kilobytes
    assert images.layout_of(bomb, Kind.PNG).width == 40_000
    with pytest.raises(errors.DecompressionBombError) as raised:
        inspect(bomb, filename="b.png", declared_type=None, max_pixels=MAX_PIXELS)
    assert "5000万像素" in raised.value.message


def test_the_pixel_bound_is_a_setting() -> None:
    picture = files.a_png(200, 100)
    assert inspect(picture, filename="a.png", declared_type=None, max_pixels=20_000) is Kind.PNG
    with pytest.raises(errors.DecompressionBombError):
        inspect(picture, filename="a.png", declared_type=None, max_pixels=19_999)


def test_the_jpeg_walk_finds_the_end_past_embedded_thumbnails_and_restart_markers() -> None:
    """An EXIF thumbnail carries its own end marker inside APP1; the image's is the last."""
    thumbnail = files.a_jpeg(16, 16)
    app1 = b"\xff\xe1" + (len(thumbnail) + 2 + 6).to_bytes(2, "big") + b"Exif\x00\x00" + thumbnail
    base = files.a_jpeg(64, 48)
    with_thumbnail = base[:2] + app1 + base[2:]
    layout = images.layout_of(with_thumbnail, Kind.JPEG)
    assert (layout.width, layout.height, layout.end) == (64, 48, len(with_thumbnail))
    assert check(with_thumbnail, "exif.jpg") is Kind.JPEG


@pytest.mark.parametrize(
    "options", [{"progressive": True}, {"restart_marker_rows": 1}, {"restart_marker_blocks": 4}], ids=str
)
def test_progressive_and_restart_marked_jpegs_are_walked_to_their_end(options: dict[str, object]) -> None:
    picture = files.reencoded_jpeg(files.a_noisy_jpeg(200, 150), **options)
    assert images.layout_of(picture, Kind.JPEG).end == len(picture)
    assert check(picture, "scan.jpg") is Kind.JPEG
    with pytest.raises(errors.PolyglotError):
        check(files.with_archive_appended(picture), "scan.jpg")
