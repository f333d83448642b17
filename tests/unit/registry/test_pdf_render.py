"""The unsigned 电子证书: every field printed in the embedded Chinese font, a QR code that carries the
verification URL (read back from the rendered pixels), 补发 on a reissued copy, and the number and
version in the PDF's metadata. Checked with poppler (pdftoppm, pdffonts, pdftotext, pdfinfo)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import subprocess
from pathlib import Path

import pytest
import segno
from PIL import Image
from reportlab.lib.pagesizes import A4

from services.registry.certificate_pdf import CategoryLine, CertificateView, render_certificate
from services.registry.certificate_pdf.render import QR_BOX, qr_payload, read_identity
from tests.fixtures.qr import qr_codes_of_pdf

VIEW = CertificateView(
    number="甲测资字11000042",
    certificate_type="甲级资质证书",
    level="甲级",
    unit_name="北京经纬测绘科技有限公司",
    credit_code="91110108MA01ABCD2X",
    registered_address="北京市海淀区中关村南大街5号",
    legal_representative="李明远",
    categories=(
        CategoryLine("大地测量", "甲级", ("卫星定位测量", "水准测量")),
        CategoryLine("工程测量", "乙级", ("地下管线测量",)),
    ),
    authority_name="自然资源部",
    issued_on=dt.date(2026, 3, 9),
    valid_until=dt.date(2031, 3, 8),
    version=3,
    reissued=False,
    verify_url="https://chxz.example.cn/verify?number=甲测资字11000042",
)


def _poppler(tool: str, pdf: Path) -> str:
    return subprocess.run([tool, str(pdf)], capture_output=True, text=True, check=True).stdout


def _text(pdf: Path) -> str:
    command = ["pdftotext", "-layout", "-enc", "UTF-8", str(pdf), "-"]
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout.replace(" ", "")


@pytest.fixture(scope="module")
def pdf_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("pdf") / "certificate.pdf"
    path.write_bytes(render_certificate(VIEW))
    return path


def test_every_font_is_embedded_with_a_to_unicode_map(pdf_file: Path) -> None:
    rows = [line.split() for line in _poppler("pdffonts", pdf_file).splitlines()[2:]]
    assert rows, "no font at all"
    assert any("WenQuanYiZenHei" in row[0] for row in rows)
    for row in rows:  # name type encoding emb sub uni object gen
        assert row[-5:-2] == ["yes", "yes", "yes"], row


def test_all_fields_are_printed_as_chinese_text(pdf_file: Path) -> None:
    text = _text(pdf_file)
    printed = [VIEW.number, VIEW.certificate_type, VIEW.unit_name, VIEW.credit_code, VIEW.registered_address]
    printed += [VIEW.legal_representative, "发证机关：自然资源部", "发证日期：2026年3月9日", "有效期至：2031年3月8日"]
    printed += ["大地测量", "卫星定位测量、水准测量", "工程测量", "地下管线测量", "第3版"]
    missing = [item for item in printed if item not in text]
    assert not missing
    assert "补发" not in text


def test_a_reissued_copy_is_marked(tmp_path: Path) -> None:
    path = tmp_path / "reissued.pdf"
    path.write_bytes(render_certificate(dataclasses.replace(VIEW, reissued=True)))
    assert "补发" in _text(path)


def test_number_and_version_are_in_the_metadata(pdf_file: Path) -> None:
    info = dict(line.split(":", 1) for line in _poppler("pdfinfo", pdf_file).splitlines() if ":" in line)
    assert read_identity(info["Keywords"].strip()) == (VIEW.number, 3)
    assert VIEW.number in info["Subject"] and "第3版" in info["Subject"]


def test_the_page_renders_and_its_qr_code_reads_back_as_the_url(pdf_file: Path) -> None:
    dpi = 200
    png = subprocess.run(["pdftoppm", "-png", "-gray", "-r", str(dpi), str(pdf_file)], capture_output=True, check=True)
    page = Image.open(io.BytesIO(png.stdout)).convert("L")
    assert page.size == (round(A4[0] * dpi / 72), round(A4[1] * dpi / 72))
    matrix = segno.make(qr_payload(VIEW.verify_url), error="m").matrix
    assert _modules(page, len(matrix), dpi) == [[bool(bit) for bit in row] for row in matrix]


def test_the_qr_payload_is_the_percent_encoded_url() -> None:
    payload = qr_payload(VIEW.verify_url)
    assert payload == "https://chxz.example.cn/verify?number=%E7%94%B2%E6%B5%8B%E8%B5%84%E5%AD%9711000042"
    assert payload.isascii()
    assert qr_payload(payload) == payload  # already encoded: unchanged


def _modules(page: Image.Image, count: int, dpi: int) -> list[list[bool]]:
    """Dark or light at the centre of each QR module, located from the layout's QR_BOX."""
    x0, y0, side = QR_BOX
    module = side / (count + 8)
    scale = dpi / 72

    def dark(row: int, col: int) -> bool:
        x = (x0 + (col + 4.5) * module) * scale
        y = (A4[1] - (y0 + side - (row + 4.5) * module)) * scale
        return bool(page.getpixel((int(x), int(y))) < 128)  # type: ignore[operator]

    return [[dark(row, col) for col in range(count)] for row in range(count)]


def test_a_reader_finds_and_decodes_the_qr_code_from_the_pixels(pdf_file: Path) -> None:
    assert qr_codes_of_pdf(pdf_file.read_bytes()) == [qr_payload(VIEW.verify_url)]
