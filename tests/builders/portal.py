"""Steps through the portal in a browser as a unit would (注册, 登录, 单位材料), and the files it uploads."""

from __future__ import annotations

import io
import struct
from pathlib import Path

from PIL import Image
from playwright.sync_api import Page, expect
from pypdf import PdfWriter

from tests.builders.identity import a_registration

__all__ = [
    "REGISTER_LABELS",
    "a_jpeg",
    "a_pdf",
    "log_in",
    "open_materials",
    "register",
    "signed_in_unit",
    "upload_material",
]

REGISTER_LABELS = {
    "username": "用户名",
    "password": "密码",
    "password_confirm": "确认密码",
    "unit_name": "单位名称",
    "credit_code": "统一社会信用代码",
    "contact_name": "联系人",
    "mobile": "手机号码",
}


def register(page: Page, portal: str, form: dict[str, str]) -> None:
    """Fill the 注册 form field by field (found by their labels) and submit it."""
    page.goto(f"{portal}register")
    for key, label in REGISTER_LABELS.items():
        page.get_by_label(label, exact=True).fill(form[key])
    page.get_by_role("button", name="注册").click()


def log_in(page: Page, portal: str, username: str, password: str) -> None:
    """Fill the 登录 form and submit it."""
    page.goto(f"{portal}login")
    page.get_by_label("用户名", exact=True).fill(username)
    page.get_by_label("密码", exact=True).fill(password)
    page.get_by_role("button", name="登录").click()


def signed_in_unit(page: Page, portal: str) -> dict[str, str]:
    """A new unit, registered and logged in through the forms; its registration form."""
    form = a_registration()
    register(page, portal, form)
    log_in(page, portal, form["username"], form["password"])
    expect(page.get_by_role("heading", name="测绘资质办理", level=1)).to_be_visible()
    return form


def open_materials(page: Page) -> None:
    """单位材料 from the header, once its list has loaded."""
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="单位材料").click()
    expect(page.get_by_role("heading", name="单位材料", level=1)).to_be_visible()
    expect(page.get_by_role("option", name="申请书")).to_be_attached()
    expect(page.get_by_role("cell", name="正在加载…")).to_have_count(0)


MIME_TYPES = {".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png", ".pdf": "application/pdf"}


def upload_material(page: Page, purpose: str, filename: str, data: bytes) -> None:
    """Choose the 材料类型 and a file named ``filename`` holding ``data`` (typed by its extension,
    as a browser does), then 上传."""
    page.get_by_label("材料类型", exact=True).select_option(purpose)
    mime = MIME_TYPES.get(Path(filename).suffix.lower(), "application/octet-stream")
    page.get_by_label("文件", exact=True).set_input_files({"name": filename, "mimeType": mime, "buffer": data})
    page.get_by_role("button", name="上传", exact=True).click()


def a_jpeg(*, size: int | None = None, color: tuple[int, int, int] = (40, 90, 160)) -> bytes:
    """A real JPEG (a 320×240 scan); ``size`` pads it to exactly that many bytes with comment
    segments, so it stays a valid image of any weight."""
    out = io.BytesIO()
    Image.new("RGB", (320, 240), color).save(out, "JPEG", quality=85)
    data = out.getvalue()
    room = 0 if size is None else size - len(data)
    segments = []
    while room > 0:
        part = min(room, 65_537)  # marker, 2-byte length, at most 65,533 bytes of comment
        part = part if room - part == 0 or room - part >= 4 else part - 4  # never leave a stub
        segments.append(b"\xff\xfe" + struct.pack(">H", part - 2) + b" " * (part - 4))
        room -= part
    return data[:2] + b"".join(segments) + data[2:]


def a_pdf() -> bytes:
    """A one-page PDF (A4)."""
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
