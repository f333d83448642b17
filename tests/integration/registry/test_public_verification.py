"""POST /public/verifications refusals: no file or no PDF (400 naming ``$.file``), a file over
REGISTRY_VERIFICATION_MAX_BYTES (413), and a registry without its HSM (503), each in Chinese."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from .conftest import Headers, Registry

Sign = Callable[..., Headers]


def visitor(sign: Sign) -> Headers:
    return sign(account_id="gateway", role="system")


@pytest.mark.parametrize(
    "files",
    [
        {"file": ("certificate.pdf", b"GIF89a not a pdf", "application/pdf")},
        {"other": ("certificate.pdf", b"%PDF-1.7\n", "application/pdf")},
    ],
)
async def test_an_upload_that_is_no_pdf_is_a_400_naming_the_file(
    registry: Registry, sign: Sign, files: dict[str, tuple[str, bytes, str]]
) -> None:
    answer = await registry.client.post("/public/verifications", files=files, headers=visitor(sign))
    assert answer.status_code == 400, answer.text
    body = answer.json()
    assert (body["code"], body["details"][0]["field"]) == ("registry.invalid_pdf", "$.file")
    assert body["message"] == "请上传电子证书PDF文件"


async def test_a_file_over_the_limit_is_a_413(registry: Registry, sign: Sign) -> None:
    limit = registry.settings.registry_verification_max_bytes
    big = b"%PDF-1.7\n" + bytes(limit + 1)
    answer = await registry.client.post(
        "/public/verifications", files={"file": ("c.pdf", big, "application/pdf")}, headers=visitor(sign)
    )
    assert answer.status_code == 413, answer.text
    assert answer.json()["code"] == "registry.pdf_too_large"


async def test_without_the_hsm_a_pdf_cannot_be_judged_yet(registry: Registry, sign: Sign) -> None:
    answer = await registry.client.post(
        "/public/verifications",
        files={"file": ("c.pdf", b"%PDF-1.7\n%%EOF\n", "application/pdf")},
        headers=visitor(sign),
    )
    assert (answer.status_code, answer.json()["code"]) == (503, "registry.pdf_not_ready")
    assert answer.json()["message"] == "电子证书正在生成，请稍后再试"


async def test_the_upload_needs_a_token(registry: Registry) -> None:
    answer = await registry.client.post(
        "/public/verifications", files={"file": ("c.pdf", b"%PDF-1.7\n", "application/pdf")}
    )
    assert answer.status_code == 401


async def test_without_the_hsm_no_signing_certificate_is_published(registry: Registry, sign: Sign) -> None:
    for path in ("/public/trust", "/public/trust/root.cer", "/public/trust/signing.cer"):
        answer = await registry.client.get(path, headers=visitor(sign))
        assert (answer.status_code, answer.json()["code"]) == (503, "registry.trust_not_available"), path
        assert answer.json()["message"] == "电子签章证书暂不可用，请稍后再试"


async def test_only_the_two_published_certificates_can_be_downloaded(registry: Registry, sign: Sign) -> None:
    answer = await registry.client.get("/public/trust/other.cer", headers=visitor(sign))
    assert answer.status_code == 400, answer.text
    assert answer.json()["details"][0]["field"] == "$.file"
