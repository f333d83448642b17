"""render_certificate: one version of a 测绘资质证书 as an unsigned A4 PDF (电子证书).

The Chinese font (WenQuanYi Zen Hei, Debian ``fonts-wqy-zenhei``) is loaded once per process and
embedded as a subset. The QR code links to the public verification page of the number; it is drawn as
vector modules from segno's matrix. The number and version are also in the PDF's Info dictionary
(``/Subject`` and ``/Keywords``), where :func:`read_identity` finds them again.
"""

from __future__ import annotations

import io
import re
from functools import cache
from urllib.parse import quote

import segno
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph, Table, TableStyle

from ..model import chinese_date
from .view import CertificateView

__all__ = ["FONT_NAME", "FONT_PATH", "QR_BOX", "keywords_of", "qr_payload", "read_identity", "render_certificate"]

FONT_PATH = "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"
FONT_NAME = "WenQuanYiZenHei"
QR_BOX = (150 * mm, 22 * mm, 40 * mm)
"""(x, y, side) of the QR code on the page, in points from the bottom-left corner."""
_KEYWORDS = re.compile(r"certificate-number=(?P<number>[^;\s]+);\s*certificate-version=(?P<version>\d+)")
_PAGE_W, _PAGE_H = A4
_LEFT = 25 * mm


@cache
def _font() -> str:
    """Register the CJK font once per process (~130 ms); reportlab subsets it into each document."""
    pdfmetrics.registerFont(TTFont(FONT_NAME, FONT_PATH, subfontIndex=0))
    return FONT_NAME


def qr_payload(verify_url: str) -> str:
    """The text put in the QR code: the verification URL, percent-encoded (the number is Chinese)."""
    return quote(verify_url, safe=":/?&=#%+@,;~")


def keywords_of(view: CertificateView) -> str:
    """The ``/Keywords`` entry a verifier parses back with :func:`read_identity`."""
    return f"certificate-number={view.number}; certificate-version={view.version}"


def read_identity(keywords: str | None) -> tuple[str | None, int | None]:
    """(number, version) from a ``/Keywords`` value, or ``(None, None)``."""
    match = _KEYWORDS.search(keywords or "")
    if match is None:
        return None, None
    return match["number"], int(match["version"])


def render_certificate(view: CertificateView) -> bytes:
    """The unsigned PDF bytes of ``view`` (one A4 page; ~30 ms once the font is loaded)."""
    font = _font()
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=A4, initialFontName=font, pageCompression=1)
    _metadata(canvas, view)
    _header(canvas, view, font)
    bottom = _particulars(canvas, view, font, _PAGE_H - 78 * mm)
    _categories(canvas, view, font, bottom - 8 * mm)
    _footer(canvas, view, font)
    _qr(canvas, view.verify_url)
    canvas.showPage()
    canvas.save()
    return out.getvalue()


def _metadata(canvas: Canvas, view: CertificateView) -> None:
    canvas.setTitle(f"测绘资质证书 {view.number}")
    canvas.setSubject(f"{view.certificate_type} {view.number} 第{view.version}版")
    canvas.setKeywords(keywords_of(view))
    canvas.setAuthor(view.authority_name)
    canvas.setCreator("全国测绘资质管理信息系统")


def _header(canvas: Canvas, view: CertificateView, font: str) -> None:
    canvas.setStrokeColor(colors.HexColor("#9b1c1c"))
    canvas.setLineWidth(2)
    canvas.rect(12 * mm, 12 * mm, _PAGE_W - 24 * mm, _PAGE_H - 24 * mm)
    canvas.setFillColor(colors.HexColor("#9b1c1c"))
    canvas.setFont(font, 28)
    canvas.drawCentredString(_PAGE_W / 2, _PAGE_H - 42 * mm, "测绘资质证书")
    canvas.setFillColor(colors.black)
    canvas.setFont(font, 15)
    canvas.drawCentredString(_PAGE_W / 2, _PAGE_H - 54 * mm, view.certificate_type)
    canvas.setFont(font, 11)
    canvas.drawString(_LEFT, _PAGE_H - 66 * mm, f"证书编号：{view.number}")
    canvas.drawRightString(_PAGE_W - _LEFT, _PAGE_H - 66 * mm, f"第{view.version}版")
    if view.reissued:
        _reissue_mark(canvas, font)


def _reissue_mark(canvas: Canvas, font: str) -> None:
    """补发: a red stamp-like box at the top right of a reissued copy (补领证书)."""
    canvas.saveState()
    canvas.setStrokeColor(colors.red)
    canvas.setFillColor(colors.red)
    canvas.setLineWidth(1.5)
    canvas.rect(_PAGE_W - 48 * mm, _PAGE_H - 46 * mm, 24 * mm, 12 * mm)
    canvas.setFont(font, 16)
    canvas.drawCentredString(_PAGE_W - 36 * mm, _PAGE_H - 42.5 * mm, "补发")
    canvas.restoreState()


def _particulars(canvas: Canvas, view: CertificateView, font: str, top: float) -> float:
    """The unit's particulars as a two-column table; returns the y of its bottom edge."""
    style = ParagraphStyle("cell", fontName=font, bulletFontName=font, fontSize=11, leading=15, wordWrap="CJK")
    rows = [
        ("单位名称", view.unit_name),
        ("统一社会信用代码", view.credit_code),
        ("注册地址", view.registered_address),
        ("法定代表人", view.legal_representative),
        ("资质等级", view.level),
    ]
    table = Table([[Paragraph(k, style), Paragraph(_escape(v), style)] for k, v in rows], colWidths=[40 * mm, 120 * mm])
    table.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), font), ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    _, height = table.wrapOn(canvas, 160 * mm, top)
    table.drawOn(canvas, _LEFT, top - height)
    return float(top - height)


def _categories(canvas: Canvas, view: CertificateView, font: str, top: float) -> None:
    """The 专业类别 table: 专业类别, 等级, 专业子项."""
    style = ParagraphStyle("cell", fontName=font, bulletFontName=font, fontSize=10, leading=13, wordWrap="CJK")
    head = ParagraphStyle("head", parent=style, fontSize=11)
    data = [[Paragraph("专业类别", head), Paragraph("等级", head), Paragraph("专业子项", head)]]
    for line in view.categories:
        items = "、".join(_escape(item) for item in line.sub_items) or "—"
        data.append(
            [Paragraph(_escape(line.category), style), Paragraph(_escape(line.level), style), Paragraph(items, style)]
        )
    table = Table(data, colWidths=[42 * mm, 18 * mm, 100 * mm], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), font),
                ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#f3e8e8")),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ]
        )
    )
    _, height = table.wrapOn(canvas, 160 * mm, top - 70 * mm)
    table.drawOn(canvas, _LEFT, top - height)


def _footer(canvas: Canvas, view: CertificateView, font: str) -> None:
    canvas.setFont(font, 11)
    y = 52 * mm
    canvas.drawString(_LEFT, y, f"发证机关：{view.authority_name}")
    canvas.drawString(_LEFT, y - 8 * mm, f"发证日期：{chinese_date(view.issued_on)}")
    canvas.drawString(_LEFT, y - 16 * mm, f"有效期至：{chinese_date(view.valid_until)}")
    canvas.setFont(font, 8)
    canvas.drawString(_LEFT, y - 28 * mm, "本电子证书与纸质证书具有同等法律效力，扫描二维码或登录核验页面可核验真伪。")


def _qr(canvas: Canvas, verify_url: str) -> None:
    """The QR code of the verification URL, one filled square per dark module, with a quiet zone."""
    qr = segno.make(qr_payload(verify_url), error="m")
    x0, y0, side = QR_BOX
    size = len(qr.matrix) + 8  # 4 modules of quiet zone each side
    module = side / size
    canvas.saveState()
    canvas.setFillColor(colors.black)
    path = canvas.beginPath()
    for row, bits in enumerate(qr.matrix):
        for col, dark in enumerate(bits):
            if dark:
                path.rect(x0 + (col + 4) * module, y0 + side - (row + 5) * module, module, module)
    canvas.drawPath(path, stroke=0, fill=1)
    canvas.restoreState()
    canvas.setFont(_font(), 8)
    canvas.drawCentredString(x0 + side / 2, y0 - 4 * mm, "扫码核验")


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
