"""The upload request itself: read as it streams in and never past the limit, and every malformed
or incomplete form refused with the field named and nothing left behind."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import httpx
import pytest
from litestar import Litestar

from services.documents.api.uploads import FORM_OVERHEAD
from tests.builders import documents as files

from .conftest import Headers, Snapshot

BOUNDARY = "----qual-test-boundary"
CHUNK = 64 * 1024


class BodyMeter:
    """An ASGI wrapper (the test's own) that counts the request body bytes the app pulled."""

    def __init__(self, app: Litestar) -> None:
        self.app = app
        self.read = 0

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        async def counted() -> Any:
            message = await receive()
            self.read += len(message.get("body", b""))
            return message

        await self.app(scope, counted, send)


def form_head(filename: str = "huge.jpg", purpose: str = "申请书") -> bytes:
    return (
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="purpose"\r\n\r\n{purpose}\r\n'
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="{filename}"\r\n'
        "Content-Type: image/jpeg\r\n\r\n"
    ).encode()


async def endless_upload(total: int, *, field: str) -> AsyncIterator[bytes]:
    """A multipart body whose ``field`` part (the file, or a field the service ignores) is
    ``total`` bytes long, produced chunk by chunk."""
    if field != "file":
        yield f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{field}"\r\n\r\n'.encode()
        for _ in range(0, total, CHUNK):
            yield b"x" * CHUNK
        yield b"\r\n"
    yield form_head()
    jpeg = files.a_jpeg()
    yield jpeg
    sent = len(jpeg) if field == "file" else total
    while sent < total:
        yield b"\x00" * CHUNK
        sent += CHUNK
    yield f"\r\n--{BOUNDARY}--\r\n".encode()


@pytest.mark.parametrize("field", ["file", "note"], ids=["in-the-file", "in-another-field"])
@pytest.mark.parametrize("announced", [True, False], ids=["content-length", "chunked"])
async def test_a_50_mb_upload_is_refused_having_read_at_most_the_limit_and_one_chunk(
    app: Litestar,
    unit: Callable[..., Headers],
    snapshot: Callable[[], Awaitable[Snapshot]],
    announced: bool,
    field: str,
) -> None:
    meter = BodyMeter(app)
    total = 50 * 1024 * 1024
    headers = {**unit(), "content-type": f"multipart/form-data; boundary={BOUNDARY}"}
    if announced:
        headers["content-length"] = str(total + 1024)
    before = await snapshot()
    transport = httpx.ASGITransport(app=meter)  # type: ignore[arg-type]
    async with httpx.AsyncClient(transport=transport, base_url="http://documents") as client:
        response = await client.post("/documents", content=endless_upload(total, field=field), headers=headers)

    assert response.status_code == 413
    assert response.json()["code"] == "file_too_large"
    assert response.json()["message"] == "单个文件大小不能超过2MB"
    if announced:
        assert meter.read == 0  # the announced length alone decided
    else:
        assert meter.read <= files.MB2 + FORM_OVERHEAD + CHUNK
    assert await snapshot() == before


def body_of(*parts: tuple[str, str | None, bytes]) -> bytes:
    """A multipart body of (name, filename, content) parts."""
    out = b""
    for name, filename, content in parts:
        disposition = f'form-data; name="{name}"' + (f'; filename="{filename}"' if filename else "")
        out += f"--{BOUNDARY}\r\nContent-Disposition: {disposition}\r\n\r\n".encode() + content + b"\r\n"
    return out + f"--{BOUNDARY}--\r\n".encode()


MULTIPART = f"multipart/form-data; boundary={BOUNDARY}"
PNG = files.a_png()


@pytest.mark.parametrize(
    ("content_type", "body", "status", "code", "field"),
    [
        ("application/json", '{"purpose": "申请书"}'.encode(), 400, "invalid_upload", None),
        ("multipart/form-data", body_of(("file", "a.png", PNG)), 400, "invalid_upload", None),
        (MULTIPART, b"--" + BOUNDARY.encode() + b"\r\nContent-Disposition: form-da", 400, "invalid_upload", None),
        (MULTIPART, body_of(("purpose", None, "申请书".encode())), 400, "missing_file", "$.file"),
        (
            MULTIPART,
            body_of(("purpose", None, "申请书".encode()), ("file", "a.png", PNG), ("file", "b.png", PNG)),
            400,
            "multiple_files",
            "$.file",
        ),
        (MULTIPART, body_of(("file", "a.png", PNG)), 400, "invalid_purpose", "$.purpose"),
        (MULTIPART, body_of(("purpose", None, b"  "), ("file", "a.png", PNG)), 400, "invalid_purpose", "$.purpose"),
        (
            MULTIPART,
            body_of(("purpose", None, "申请书".encode()), ("file", None, PNG)),
            415,
            "unsupported_type",
            "$.file",
        ),
        (
            MULTIPART,
            body_of(("purpose", None, "申请书".encode()), ("file", "scan", PNG)),
            415,
            "unsupported_type",
            "$.file",
        ),
        (
            MULTIPART,
            body_of(("purpose", None, "申请书".encode()), ("file", "scan.exe", PNG)),
            415,
            "unsupported_type",
            "$.file",
        ),
    ],
    ids=[
        "json",
        "no-boundary",
        "cut-short",
        "no-file",
        "two-files",
        "no-purpose",
        "blank-purpose",
        "no-filename",
        "no-extension",
        "other-extension",
    ],
)
async def test_a_malformed_or_incomplete_form_is_refused_and_leaves_nothing(
    client: httpx.AsyncClient,
    unit: Callable[..., Headers],
    snapshot: Callable[[], Awaitable[Snapshot]],
    content_type: str,
    body: bytes,
    status: int,
    code: str,
    field: str | None,
) -> None:
    before = await snapshot()

    response = await client.post("/documents", content=body, headers={**unit(), "content-type": content_type})

    assert response.status_code == status, response.text
    answer = response.json()
    assert answer["code"] == code and answer["message"]
    assert (answer["details"] or {}).get("field") == field
    assert await snapshot() == before


async def test_other_form_fields_are_ignored(client: httpx.AsyncClient, unit: Callable[..., Headers]) -> None:
    body = body_of(("note", None, b"x" * 1000), ("purpose", None, "营业执照".encode()), ("file", "a.png", PNG))
    response = await client.post("/documents", content=body, headers={**unit(), "content-type": MULTIPART})
    assert response.status_code == 201, response.text
    assert response.json()["purpose"] == "营业执照"


@pytest.mark.parametrize(
    ("role", "claims"),
    [("authority", {"jurisdiction": "000000"}), ("admin", {"jurisdiction": "000000"}), ("system", {})],
)
async def test_only_unit_users_upload_list_or_delete(
    client: httpx.AsyncClient, sign: Callable[..., Headers], role: str, claims: dict[str, str]
) -> None:
    headers = sign(role=role, audience="documents", **claims)
    form = {"data": {"purpose": "申请书"}, "files": {"file": ("a.png", PNG)}}
    upload = await client.post("/documents", headers=headers, **form)  # type: ignore[arg-type]
    listing = await client.get("/documents", headers=headers)
    removal = await client.delete("/documents/00000000-0000-0000-0000-000000000000", headers=headers)
    for response in (upload, listing, removal):
        assert response.status_code == 403
        assert response.json()["code"] == "unit_only"


async def test_the_purposes_are_published_in_order_with_labels(
    client: httpx.AsyncClient, unit: Callable[..., Headers]
) -> None:
    response = await client.get("/purposes", headers=unit())
    assert response.status_code == 200
    items = response.json()["items"]
    assert [item["value"] for item in items] == [
        "申请书",
        "单位简介",
        "法人证明",
        "营业执照",
        "职称证书",
        "学历证书",
        "退休材料",
        "劳务合同",
        "社保缴纳证明",
        "身份证",
        "检定证书",
        "购置发票",
        "项目合同",
        "验收证明",
        "安全保密制度",
        "质量保障体系",
        "档案管理制度",
        "变更证明",
        "遗失声明",
        "其它",
    ]
    assert all(item["label"] == item["value"] for item in items)


@pytest.mark.parametrize(
    ("path", "allowed"),
    [
        ("/documents", "GET, OPTIONS, POST"),
        ("/documents/0b8f4c2e-6d1a-4e39-9a57-3c2d1e0f9b84", "DELETE, GET, OPTIONS"),
        ("/documents/x/content", "GET, OPTIONS"),
    ],
)
async def test_options_lists_every_method_of_a_path(
    client: httpx.AsyncClient, unit: Callable[..., Headers], path: str, allowed: str
) -> None:
    response = await client.options(path, headers=unit())
    assert response.status_code == 204
    assert response.headers["allow"] == allowed


@pytest.mark.parametrize("encoding", ["utf-8", "gb18030"])
async def test_a_chinese_file_name_is_kept_as_sent_in_utf_8_or_gb_18030(
    client: httpx.AsyncClient, unit: Callable[..., Headers], encoding: str
) -> None:
    head = f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="purpose"\r\n\r\n'.encode() + "申请书".encode()
    part = b"\r\n--" + BOUNDARY.encode() + b'\r\nContent-Disposition: form-data; name="file"; filename="'
    body = head + part + "单位申请书.png".encode(encoding) + b'"\r\n\r\n' + PNG + f"\r\n--{BOUNDARY}--\r\n".encode()

    response = await client.post("/documents", content=body, headers={**unit(), "content-type": MULTIPART})

    assert response.status_code == 201, response.text
    assert response.json()["filename"] == "单位申请书.png"
