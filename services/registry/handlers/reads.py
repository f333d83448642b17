"""Reading the register: 我的资质证书 (a unit), the authority's register and detail (its
jurisdiction; 自然资源部 all), and the public view of a number (nothing personal)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING, Any

import msgspec

from contracts.auth import Caller
from contracts.registry import api
from contracts.registry.events import CertifiedCategory
from services.kernel import UnitOfWork, may_act_in
from services.kernel.jurisdiction import division_prefix

from .. import model
from ..errors import CertificateNotFoundError
from ..repository.register import Register, RegisterFilter

if TYPE_CHECKING:
    from ..public_view import PublicView

__all__ = [
    "CSV_HEADER",
    "detail",
    "filter_for",
    "mine",
    "public_certificate",
    "public_of",
    "register_csv",
    "register_page",
    "valid_number",
]

CSV_HEADER = [
    "证书编号",
    "证书类型",
    "资质等级",
    "单位名称",
    "统一社会信用代码",
    "专业类别",
    "发证机关",
    "发证日期",
    "有效期至",
    "状态",
]


def valid_number(number: str) -> bool:
    return model.is_certificate_number(number)


async def mine(caller: Caller, *, uow: UnitOfWork, warning_days: int, today: dt.date) -> api.MyCertificates:
    assert caller.unit_id is not None  # unit_scope
    async with uow.reading() as conn:
        rows = await Register(conn).of_unit(caller.unit_id)
    items = [
        api.CertificateSummary(
            **_common(row),
            current_version=row["current_version"],
            expiring_soon=model.expiring_soon(row["status"], row["valid_until"], today=today, lead_days=warning_days),
            pdf_ready=row["pdf_ready"],
        )
        for row in rows
    ]
    return api.MyCertificates(items=items, warning_days=warning_days)


def filter_for(caller: Caller, **filters: Any) -> RegisterFilter:
    """The caller's search, always inside its jurisdiction."""
    assert caller.jurisdiction is not None  # authority_scope
    return RegisterFilter(within=division_prefix(caller.jurisdiction), **filters)


async def register_page(where: RegisterFilter, *, uow: UnitOfWork, page: int, page_size: int) -> api.RegisterPage:
    async with uow.reading() as conn:
        total, rows = await Register(conn).page(where, page=page, page_size=page_size)
    return api.RegisterPage(items=[entry_of(row) for row in rows], page=page, page_size=page_size, total=total)


async def register_csv(where: RegisterFilter, *, uow: UnitOfWork) -> AsyncIterator[bytes]:
    """The register as CSV (UTF-8 with BOM, so spreadsheet programs read the Chinese), streamed."""
    yield "\ufeff".encode() + _csv_line(CSV_HEADER)
    async with uow.reading() as conn:
        async for rows in Register(conn).stream(where):
            yield b"".join(_csv_line(_csv_row(row)) for row in rows)


async def detail(number: str, caller: Caller, *, uow: UnitOfWork) -> api.CertificateDetail:
    async with uow.reading() as conn:
        row = await Register(conn).one(number) if valid_number(number) else None
        if row is None or not may_act_in(caller, row["issuing_jurisdiction"]):
            raise CertificateNotFoundError()
        versions = await Register(conn).versions(row["id"])
    return api.CertificateDetail(
        **msgspec_fields(entry_of(row)),
        unit_id=row["unit_id"],
        registered_address=row["registered_address"],
        legal_representative=row["legal_representative"],
        current_version=row["current_version"],
        cancelled_on=row["cancelled_on"],
        cancel_reason=row["cancel_reason"],
        replaced_by=row["replaced_by"],
        versions=[_version_of(version) for version in versions],
    )


async def public_certificate(number: str, *, uow: UnitOfWork, view: PublicView | None = None) -> bytes:
    """Anyone's view of a number, as the JSON of its ``PublicCertificate``: from ``view`` when it
    answers for the number (no database round trip), else from the database. Unknown and malformed
    answer the same."""
    if not valid_number(number):
        raise CertificateNotFoundError()
    if view is not None and view.answers(number):
        cached = view.get(number)
        if cached is None:
            raise CertificateNotFoundError()
        return cached
    async with uow.reading() as conn:
        row = await Register(conn).public(number)
    if row is None:
        raise CertificateNotFoundError()
    return msgspec.json.encode(public_of(row))


def public_of(row: Any) -> api.PublicCertificate:
    return api.PublicCertificate(
        number=row["number"],
        certificate_type=row["certificate_type"],
        level=row["level"],
        unit_name=row["unit_name"],
        categories=_categories(row["categories"]),
        authority_name=row["authority_name"],
        issued_on=row["issued_on"],
        valid_until=row["valid_until"],
        status=row["status"],
    )


def entry_of(row: Any) -> api.RegisterEntry:
    return api.RegisterEntry(
        **_common(row), credit_code=row["credit_code"], issuing_jurisdiction=row["issuing_jurisdiction"]
    )


def msgspec_fields(entry: api.RegisterEntry) -> dict[str, Any]:
    return {name: getattr(entry, name) for name in entry.__struct_fields__}


def _common(row: Any) -> dict[str, Any]:
    return {
        "number": row["number"],
        "certificate_type": row["certificate_type"],
        "level": row["level"],
        "regime": row["regime"],
        "unit_name": row["unit_name"],
        "categories": _categories(row["categories"]),
        "authority_name": row["authority_name"],
        "issued_on": row["issued_on"],
        "valid_until": row["valid_until"],
        "status": row["status"],
    }


def _categories(items: list[dict[str, Any]]) -> list[CertifiedCategory]:
    return [CertifiedCategory(**item) for item in items]


def _version_of(row: Any) -> api.CertificateVersion:
    particulars = row["particulars"]
    return api.CertificateVersion(
        version=row["version"],
        kind=row["kind"],
        issued_on=row["issued_on"],
        unit_name=particulars["unit_name"],
        registered_address=particulars["registered_address"],
        legal_representative=particulars["legal_representative"],
        authority_name=particulars["authority_name"],
        categories=_categories(row["categories"]),
        void=row["void"],
        application_id=row["application_id"],
        pdf_sha256=row["pdf_sha256"],
        verify_url=row["verify_url"],
    )


def _csv_row(row: Any) -> list[str]:
    categories = "；".join(f"{item['category']}（{item['level']}）" for item in row["categories"])
    return [
        row["number"],
        row["certificate_type"],
        row["level"],
        row["unit_name"],
        row["credit_code"],
        categories,
        row["authority_name"],
        row["issued_on"].isoformat(),
        row["valid_until"].isoformat(),
        row["status"],
    ]


def _csv_line(values: list[str]) -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerow([_defused(value) for value in values])
    return out.getvalue().encode()


def _defused(value: str) -> str:
    """A cell a spreadsheet would read as a formula gets a leading apostrophe (CSV injection)."""
    return f"'{value}" if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value
