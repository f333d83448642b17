"""上传, 下载, 预览 and 删除 on real PostgreSQL and NATS, against both stores (a directory and the
S3 server): what is stored, what is told, and that a refusal leaves nothing behind."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import io
from collections.abc import Awaitable, Callable
from typing import Any

import asyncpg
import httpx
import msgspec
import pytest
from PIL import Image

from contracts import catalog
from contracts.documents.events import DocumentDeleted, DocumentStored
from tests.builders import documents as files
from tests.fixtures.waiting import eventually

from .conftest import Backing, Headers, Snapshot

Upload = Callable[..., Awaitable[httpx.Response]]
pytestmark = pytest.mark.usefixtures("store")  # every test here runs against both stores


async def outbox_events(pool: asyncpg.Pool[Any], aggregate_id: str) -> list[Any]:
    rows = await pool.fetch("SELECT payload FROM outbox WHERE aggregate_id = $1 ORDER BY id", aggregate_id)
    return [catalog.decoder.decode(row["payload"]) for row in rows]


async def test_an_upload_is_stored_told_and_served_back(
    client: httpx.AsyncClient, upload: Upload, unit: Callable[..., Headers], pool: asyncpg.Pool[Any], backing: Backing
) -> None:
    owner, data = unit(), files.a_jpeg(800, 600)
    response = await upload(
        owner, data, filename="C:\\扫描件\\张三 申请书.JPG", purpose="申请书", content_type="image/jpeg"
    )

    assert response.status_code == 201, response.text
    body = response.json()
    assert set(body) == {"id", "purpose", "filename", "content_type", "size", "sha256", "created_at", "frozen"}
    assert (body["purpose"], body["filename"], body["content_type"]) == ("申请书", "张三 申请书.JPG", "image/jpeg")
    assert (body["size"], body["sha256"], body["frozen"]) == (len(data), hashlib.sha256(data).hexdigest(), False)
    assert backing.objects() == {body["id"]}
    assert await pool.fetchval("SELECT count(*) FROM pending_objects") == 0
    [event] = await outbox_events(pool, body["id"])
    assert isinstance(event, DocumentStored)
    assert (event.document_id, event.purpose, event.sha256, event.size) == (
        body["id"],
        "申请书",
        body["sha256"],
        len(data),
    )
    assert event.unit_id == msgspec.json.decode(_claims(owner))["caller"]["unit_id"]
    raw = await pool.fetchval("SELECT payload FROM outbox WHERE aggregate_id = $1", body["id"])
    assert "张三" not in raw.decode() and "filename" not in raw.decode()  # the name never leaves the service

    content = await client.get(f"/documents/{body['id']}/content", headers=owner)
    assert content.status_code == 200 and content.content == data
    assert content.headers["content-type"] == "image/jpeg"
    assert content.headers["x-content-type-options"] == "nosniff"
    assert content.headers["content-length"] == str(len(data))
    assert content.headers["content-disposition"] == (
        "attachment; filename=\"document.jpg\"; filename*=UTF-8''%E5%BC%A0%E4%B8%89%20%E7%94%B3%E8%AF%B7%E4%B9%A6.JPG"
    )
    inline = await client.get(f"/documents/{body['id']}/content?disposition=inline", headers=owner)
    assert inline.headers["content-disposition"].startswith("inline; ")
    assert (await client.get(f"/documents/{body['id']}", headers=owner)).json() == body

    async def published() -> bool:
        return bool(await pool.fetchval("SELECT bool_and(sent_at IS NOT NULL) FROM outbox"))

    await eventually(published)


def _claims(headers: Headers) -> bytes:
    payload = headers["x-internal-token"].partition(".")[0]
    return base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))


@pytest.mark.parametrize(
    ("data", "filename", "kind"),
    [
        (files.a_noisy_jpeg(2400, 1800, quality=40), "scan.jpg", "image/jpeg"),
        (files.a_cmyk_jpeg(1600, 1200), "cmyk.jpg", "image/jpeg"),
        (files.a_png_16bit(1500, 900), "deep.png", "image/png"),
        (files.a_png(40, 30, mode="RGBA"), "alpha.png", "image/png"),
        (files.a_pdf(), "statement.pdf", "application/pdf"),
    ],
    ids=["large-jpeg", "cmyk-jpeg", "16-bit-png", "rgba-png", "pdf"],
)
async def test_the_preview_is_a_jpeg_at_most_1024_px(
    client: httpx.AsyncClient, upload: Upload, unit: Callable[..., Headers], data: bytes, filename: str, kind: str
) -> None:
    owner = unit()
    stored = await upload(owner, data, filename=filename)
    assert stored.status_code == 201, stored.text
    assert stored.json()["content_type"] == kind

    response = await client.get(f"/documents/{stored.json()['id']}/preview", headers=owner)

    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "image/jpeg"
    assert response.headers["x-content-type-options"] == "nosniff"
    preview = Image.open(io.BytesIO(response.content))
    assert preview.format == "JPEG" and preview.mode in ("RGB", "L")
    assert max(preview.size) <= 1024
    if kind == "application/pdf":  # the first page, rendered: its blue rectangle in the middle
        assert max(preview.size) == 1024
        red, green, blue = preview.convert("RGB").getpixel((preview.width // 2, preview.height // 2))
        assert blue > 200 and red < 60 and green < 60


REFUSALS = [
    pytest.param(b"", "empty.png", None, "申请书", 400, "empty_file", id="0-bytes"),
    pytest.param(files.a_png(), "scan.png", None, None, 400, "invalid_purpose", id="no-purpose"),
    pytest.param(files.a_png(), "scan.png", None, "身份证明", 400, "invalid_purpose", id="unknown-purpose"),
    pytest.param(files.a_jpeg_of_size(files.MB2 + 1), "big.jpg", None, "申请书", 413, "file_too_large", id="2MB+1"),
    pytest.param(b"GIF89a" + b"\x00" * 64, "a.gif", None, "申请书", 415, "unsupported_type", id="gif"),
    pytest.param(files.a_pdf(), "renamed.jpg", None, "申请书", 415, "content_mismatch", id="pdf-named-jpg"),
    pytest.param(files.a_png(), "scan.png", "application/pdf", "申请书", 415, "content_mismatch", id="declared-pdf"),
    pytest.param(files.truncated(files.a_noisy_jpeg(300, 200)), "t.jpg", None, "申请书", 422, "corrupt_file", id="cut"),
    pytest.param(files.a_png_bomb(), "bomb.png", None, "申请书", 422, "decompression_bomb", id="bomb"),
    pytest.param(files.with_archive_appended(files.a_jpeg()), "p.jpg", None, "申请书", 422, "polyglot", id="polyglot"),
    pytest.param(files.an_encrypted_pdf(), "e.pdf", None, "申请书", 422, "unsafe_pdf", id="encrypted"),
    pytest.param(files.a_pdf_with_javascript(), "js.pdf", None, "申请书", 422, "unsafe_pdf", id="javascript"),
]


@pytest.mark.parametrize(("data", "filename", "declared", "purpose", "status", "code"), REFUSALS)
async def test_a_refused_upload_leaves_nothing_behind(
    upload: Upload,
    unit: Callable[..., Headers],
    snapshot: Callable[[], Awaitable[Snapshot]],
    data: bytes,
    filename: str,
    declared: str | None,
    purpose: str | None,
    status: int,
    code: str,
) -> None:
    owner = unit()
    kept = await upload(owner, files.a_png(), filename="kept.png")
    assert kept.status_code == 201
    before = await snapshot()

    response = await upload(owner, data, filename=filename, purpose=purpose, content_type=declared)

    assert response.status_code == status, response.text
    body = response.json()
    assert body["code"] == code and body["message"]
    assert body["details"]["field"] == ("$.purpose" if code == "invalid_purpose" else "$.file")
    assert await snapshot() == before  # no object, no row, no event, no usage


async def test_exactly_the_limit_is_accepted_and_one_byte_more_refused(
    upload: Upload, unit: Callable[..., Headers], snapshot: Callable[[], Awaitable[Snapshot]]
) -> None:
    owner = unit()
    accepted = await upload(owner, files.a_jpeg_of_size(files.MB2), filename="exact.jpg")
    assert accepted.status_code == 201, accepted.text
    assert accepted.json()["size"] == files.MB2
    before = await snapshot()

    refused = await upload(owner, files.a_jpeg_of_size(files.MB2 + 1), filename="over.jpg")

    assert refused.status_code == 413
    assert refused.json()["code"] == "file_too_large"
    assert refused.json()["message"] == "单个文件大小不能超过2MB"
    assert await snapshot() == before


async def test_a_failed_transaction_after_the_write_deletes_the_object(
    upload: Upload, unit: Callable[..., Headers], pool: asyncpg.Pool[Any], snapshot: Callable[[], Awaitable[Snapshot]]
) -> None:
    owner = unit()
    assert (await upload(owner, files.a_png(), filename="before.png")).status_code == 201
    before = await snapshot()
    # The database refuses the commit (a deferred constraint trigger fires at COMMIT, after the
    # object was written and the row inserted): a real failure of the real transaction.
    await pool.execute(
        """
        CREATE FUNCTION refuse_commit() RETURNS trigger LANGUAGE plpgsql AS
        $$ BEGIN RAISE EXCEPTION 'commit refused by the test'; END $$;
        CREATE CONSTRAINT TRIGGER refuse_commit AFTER INSERT ON documents
        DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION refuse_commit();
        """
    )

    response = await upload(owner, files.a_jpeg(), filename="lost.jpg")

    assert response.status_code == 500
    assert response.json() == {"code": "internal", "message": "系统繁忙，请稍后再试", "details": None}
    assert await snapshot() == before


async def test_a_unit_lists_its_own_documents_newest_first_by_purpose_and_page(
    client: httpx.AsyncClient, upload: Upload, unit: Callable[..., Headers]
) -> None:
    owner, other = unit(), unit()
    ids = []
    for index, purpose in enumerate(["申请书", "营业执照", "申请书", "其它", "申请书"]):
        response = await upload(owner, files.a_png(color=(index, 0, 0)), filename=f"{index}.png", purpose=purpose)
        ids.append(response.json()["id"])
    assert (await upload(other, files.a_png(), filename="theirs.png")).status_code == 201

    everything = (await client.get("/documents", headers=owner)).json()
    assert [item["id"] for item in everything["items"]] == ids[::-1]
    assert (everything["page"], everything["page_size"], everything["total"]) == (1, 20, 5)
    applications = (await client.get("/documents", params={"purpose": "申请书"}, headers=owner)).json()
    assert [item["id"] for item in applications["items"]] == [ids[4], ids[2], ids[0]]
    second = (await client.get("/documents", params={"page": 2, "page_size": 2}, headers=owner)).json()
    assert [item["id"] for item in second["items"]] == [ids[2], ids[1]] and second["total"] == 5
    too_big = await client.get("/documents", params={"page_size": 101}, headers=owner)
    assert too_big.status_code == 400 and too_big.json()["code"] == "invalid_input"


async def test_deleting_hides_the_document_frees_the_quota_and_tells(
    client: httpx.AsyncClient,
    upload: Upload,
    unit: Callable[..., Headers],
    pool: asyncpg.Pool[Any],
    backing: Backing,
) -> None:
    owner = unit()
    stored = (await upload(owner, files.a_png(), filename="gone.png")).json()
    used = await pool.fetchval("SELECT bytes FROM unit_usage")

    response = await client.delete(f"/documents/{stored['id']}", headers=owner)

    assert response.status_code == 204
    assert used == stored["size"] and await pool.fetchval("SELECT bytes FROM unit_usage") == 0
    for path in ("", "/content", "/preview"):
        assert (await client.get(f"/documents/{stored['id']}{path}", headers=owner)).status_code == 404
    assert (await client.get("/documents", headers=owner)).json()["total"] == 0
    assert (await client.delete(f"/documents/{stored['id']}", headers=owner)).status_code == 404
    _, deleted_event = await outbox_events(pool, stored["id"])
    assert isinstance(deleted_event, DocumentDeleted) and deleted_event.sha256 == stored["sha256"]
    assert backing.objects() == {stored["id"]}  # the bytes stay until the retention has passed


@pytest.mark.parametrize("app_settings", [{"documents_unit_quota_bytes": 3000}])
async def test_the_units_quota_refuses_what_would_pass_it(
    client: httpx.AsyncClient,
    upload: Upload,
    unit: Callable[..., Headers],
    snapshot: Callable[[], Awaitable[Snapshot]],
) -> None:
    owner, data = unit(), files.a_jpeg_of_size(1400)
    first = await upload(owner, data, filename="1.jpg")
    assert (await upload(owner, data, filename="2.jpg")).status_code == 201
    before = await snapshot()

    refused = await upload(owner, data, filename="3.jpg")

    assert refused.status_code == 413
    assert refused.json()["code"] == "quota_exceeded" and "存储空间已满" in refused.json()["message"]
    assert await snapshot() == before
    assert (await upload(unit(), data, filename="another-unit.jpg")).status_code == 201  # per unit
    assert (await client.delete(f"/documents/{first.json()['id']}", headers=owner)).status_code == 204
    assert (await upload(owner, data, filename="3.jpg")).status_code == 201


@pytest.mark.parametrize("app_settings", [{"documents_unit_quota_bytes": 3000}])
async def test_concurrent_uploads_never_pass_the_quota_together(
    upload: Upload, unit: Callable[..., Headers], pool: asyncpg.Pool[Any], backing: Backing
) -> None:
    owner, data = unit(), files.a_jpeg_of_size(1400)

    answers = await asyncio.gather(*(upload(owner, data, filename=f"{n}.jpg") for n in range(6)))

    assert sorted(answer.status_code for answer in answers) == [201, 201, 413, 413, 413, 413]
    assert await pool.fetchval("SELECT bytes FROM unit_usage") == 2 * 1400
    assert len(backing.objects()) == 2
