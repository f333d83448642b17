"""Previews: a JPEG at most 1024 px on its long side, for images of every mode scanners write and
for a PDF's first page."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from services.documents import errors
from services.documents.previews import render
from services.documents.rules import Kind
from tests.builders import documents as files


def opened(jpeg: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(jpeg))
    assert image.format == "JPEG"
    return image


@pytest.mark.parametrize(
    ("data", "kind", "size"),
    [
        (files.a_noisy_jpeg(2480, 1754, quality=30), Kind.JPEG, (1024, 724)),
        (files.a_jpeg(300, 200), Kind.JPEG, (300, 200)),
        (files.a_cmyk_jpeg(300, 200), Kind.JPEG, (300, 200)),
        (files.a_png_16bit(1500, 900), Kind.PNG, (1024, 614)),
        (files.a_png_16bit(120, 80, color=False), Kind.PNG, (120, 80)),
        (files.a_png(64, 48, mode="RGBA"), Kind.PNG, (64, 48)),
        (files.a_png(3000, 2000, mode="1", color=1), Kind.PNG, (1024, 683)),
        (files.a_png(50, 50, mode="P"), Kind.PNG, (50, 50)),
        (files.a_pdf(), Kind.PDF, (724, 1024)),
    ],
    ids=["large-jpeg", "small-jpeg", "cmyk", "16-bit-rgb", "16-bit-grey", "rgba", "bilevel", "palette", "pdf"],
)
def test_a_preview_is_an_8_bit_jpeg_at_most_1024_px(data: bytes, kind: Kind, size: tuple[int, int]) -> None:
    preview = opened(render(data, kind))
    assert preview.size == size
    assert preview.mode in ("RGB", "L")


def test_a_cmyk_scan_keeps_its_colours() -> None:
    red, green, blue = opened(render(files.a_cmyk_jpeg(), Kind.JPEG)).getpixel((10, 10))  # type: ignore[misc]
    assert red > 200 and 90 < green < 160 and blue < 40  # C0 M128 Y255: orange, not inverted


def test_a_16_bit_scan_is_scaled_not_clipped() -> None:
    grey = opened(render(files.a_png_16bit(120, 80, color=False), Kind.PNG))
    values = [grey.getpixel((x, 40)) for x in range(0, 120, 10)]
    assert len(set(values)) > 5 and max(values) < 256  # type: ignore[operator]


def test_transparency_goes_onto_white() -> None:
    clear = files.a_png(32, 32, mode="RGBA", color=(0, 0, 0, 0))
    assert opened(render(clear, Kind.PNG)).getpixel((5, 5)) == (255, 255, 255)


def test_the_first_page_of_a_pdf_is_rendered() -> None:
    page = opened(render(files.a_pdf(), Kind.PDF)).convert("RGB")
    assert page.getpixel((362, 512))[2] > 200  # the blue rectangle
    assert page.getpixel((5, 5)) == (255, 255, 255)  # the margin


def test_an_unreadable_file_is_a_corrupt_file() -> None:
    with pytest.raises(errors.CorruptFileError):
        render(b"%PDF-1.7\nnot really\n%%EOF", Kind.PDF)
