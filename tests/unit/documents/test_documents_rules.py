"""Pure rules of documents: display names, what an extension or a part type declares, and the
RFC 6266 ``Content-Disposition`` of a download."""

from __future__ import annotations

import pytest

from services.documents.api.disposition import content_disposition
from services.documents.rules import Kind, declared_kind, display_name, extension_kind


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("申请书.pdf", "申请书.pdf"),
        ("C:\\Users\\张三\\Desktop\\法人证明.jpg", "法人证明.jpg"),
        ("/etc/../../passwd.png", "passwd.png"),
        ("  scan 1.png  ", "scan 1.png"),
        ("evil\r\nX-Injected: 1.png", "evilX-Injected: 1.png"),
        ("bill\u202egpj.exe", "billgpj.exe"),  # the right-to-left override that turns exe.jpg around
        ("nul\x00byte\x7f.pdf", "nulbyte.pdf"),
        ("", ""),
        (None, ""),
    ],
)
def test_the_display_name_is_the_last_path_component_without_control_characters(raw: str | None, shown: str) -> None:
    assert display_name(raw) == shown


def test_a_long_name_is_cut_to_255_characters_keeping_its_extension() -> None:
    name = display_name("测" * 400 + ".pdf")
    assert len(name) == 255 and name.endswith("测.pdf")
    assert len(display_name("x" * 300)) == 255


@pytest.mark.parametrize(
    ("filename", "kind"),
    [
        ("a.jpg", Kind.JPEG),
        ("a.JPEG", Kind.JPEG),
        ("a.jpe", Kind.JPEG),
        ("a.png", Kind.PNG),
        ("a.Pdf", Kind.PDF),
        ("a.pdf.exe", None),
        ("a.gif", None),
        ("jpg", None),
        (".jpg", None),
        ("a.", None),
    ],
)
def test_what_an_extension_declares(filename: str, kind: Kind | None) -> None:
    assert extension_kind(filename) is kind


@pytest.mark.parametrize(
    ("content_type", "kind"),
    [
        ("image/jpeg", Kind.JPEG),
        ("image/pjpeg", Kind.JPEG),
        ("IMAGE/PNG", Kind.PNG),
        ("application/pdf; charset=binary", Kind.PDF),
        ("application/octet-stream", None),
        ("text/html", None),
        (None, None),
    ],
)
def test_what_a_part_type_declares(content_type: str | None, kind: Kind | None) -> None:
    assert declared_kind(content_type) is kind


@pytest.mark.parametrize(
    ("filename", "inline", "header"),
    [
        ("scan.pdf", False, "attachment; filename=\"scan.pdf\"; filename*=UTF-8''scan.pdf"),
        ("scan.pdf", True, "inline; filename=\"scan.pdf\"; filename*=UTF-8''scan.pdf"),
        (
            "申请书.pdf",
            False,
            "attachment; filename=\"document.pdf\"; filename*=UTF-8''%E7%94%B3%E8%AF%B7%E4%B9%A6.pdf",
        ),
        (
            "2024年 report.pdf",
            False,
            "attachment; filename=\"2024_ report.pdf\"; filename*=UTF-8''2024%E5%B9%B4%20report.pdf",
        ),
        ('a"b\\c;d%e.pdf', False, "attachment; filename=\"a_b_c;d_e.pdf\"; filename*=UTF-8''a%22b%5Cc%3Bd%25e.pdf"),
        ("", False, "attachment; filename=\"document.pdf\"; filename*=UTF-8''document.pdf"),
    ],
)
def test_the_content_disposition_follows_rfc_6266(filename: str, inline: bool, header: str) -> None:
    value = content_disposition(filename, extension=".pdf", inline=inline)
    assert value == header
    value.encode("ascii")  # a header value the server can send as is
