"""The kernel's streaming multipart reader: the file up to its limit, named short fields, other
parts read past, and the service's own refusals for each way a body can be wrong."""

from __future__ import annotations

from typing import Any

import pytest
from litestar import Litestar, Request, post
from litestar.testing import AsyncTestClient

from services.kernel.multipart import FORM_OVERHEAD, MAX_FIELD, Refusals, read_form


class RefusedError(Exception):
    def __init__(self, why: str) -> None:
        super().__init__(why)
        self.why = why


def _refusals(*, second_file: bool) -> Refusals:
    return Refusals(
        too_large=lambda: RefusedError("too_large"),
        malformed=lambda: RefusedError("malformed"),
        field_too_long=lambda name: RefusedError(f"long:{name}"),
        second_file=(lambda: RefusedError("second_file")) if second_file else None,
    )


def _app(*, second_file: bool) -> Litestar:
    @post("/", status_code=200, request_max_body_size=None)
    async def upload(request: Request[Any, Any, Any]) -> dict[str, Any]:
        try:
            form = await read_form(
                request, max_bytes=10, fields=("purpose",), refusals=_refusals(second_file=second_file)
            )
        except RefusedError as refused:
            return {"refused": refused.why}
        data = None if form.file is None else bytes(form.file).decode()
        return {"file": data, "name": form.filename, "type": form.declared_type, "purpose": form.text("purpose")}

    return Litestar([upload], logging_config=None)


async def _send(files: Any = None, data: Any = None, *, second_file: bool = True, **options: Any) -> dict[str, Any]:
    async with AsyncTestClient(_app(second_file=second_file)) as client:
        answer = await client.post("/", files=files, data=data, **options)
        assert answer.status_code == 200, answer.text
        found: dict[str, Any] = answer.json()
        return found


async def test_the_file_its_name_and_type_and_a_named_field_are_read() -> None:
    got = await _send(
        files={"file": ("扫描件.pdf", b"0123456789", "application/pdf")}, data={"purpose": "身份证", "x": "y"}
    )

    assert got == {"file": "0123456789", "name": "扫描件.pdf", "type": "application/pdf", "purpose": "身份证"}


@pytest.mark.parametrize(
    ("files", "data", "second_file", "why"),
    [
        ({"file": ("a.txt", b"01234567890", "text/plain")}, None, True, "too_large"),
        ({"file": ("a.txt", b"1", "text/plain")}, {"purpose": "x" * (MAX_FIELD + 1)}, True, "long:purpose"),
        ([("file", ("a", b"1", "text/plain")), ("file", ("b", b"2", "text/plain"))], None, True, "second_file"),
    ],
)
async def test_each_wrong_body_gets_the_services_refusal(files: Any, data: Any, second_file: bool, why: str) -> None:
    assert await _send(files=files, data=data, second_file=second_file) == {"refused": why}


async def test_without_a_second_file_refusal_the_second_part_is_read_past() -> None:
    files = [("file", ("a", b"1", "text/plain")), ("file", ("b", b"2", "text/plain"))]

    got = await _send(files=files, second_file=False)

    assert (got["file"], got["name"]) == ("1", "a")


async def test_not_a_form_and_a_body_announced_too_long_are_refused_before_reading() -> None:
    assert await _send(content=b"{}", headers={"content-type": "application/json"}) == {"refused": "malformed"}
    headers = {"content-type": "multipart/form-data; boundary=x", "content-length": str(10 + FORM_OVERHEAD + 1)}
    assert await _send(content=b"--x--", headers=headers) == {"refused": "too_large"}
