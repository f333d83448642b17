"""信息填报: read one page of a work (its definition for this work, what was saved, what is wrong)
and 保存 it with server-side validation (manual §5). A page the unit never saved on this work starts
from the same page of its earlier work (``model.prefill``), marked ``prefilled_from`` and 未填写."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

import msgspec

from contracts.applications import api
from contracts.auth import Caller
from contracts.documents.api import Document
from services.kernel import NotFoundError, ServiceClient, UnitOfWork
from services.kernel.db import Connection

from .. import clock, errors
from ..model.completeness import context_of, page_errors
from ..model.fields import FieldContext, check_page
from ..model.pages import FieldSpec, PageSpec
from ..model.prefill import EarlierPage, carried_documents, carried_values, carries
from ..model.record import LOCKABLE, on_record
from ..model.work import CHANGES, UNIT_INFO, SavedPage, Work
from ..repository import pages, works
from .access import owned_work, readable_work
from .standard import Levels, StandardLevels
from .works import jurisdiction_for

__all__ = ["get_page", "save_page"]

_CONFIRMED = "请打开本页核对后点击保存"


def _spec(work: Work, key: str) -> PageSpec:
    laid = next((laid for laid in work.layout if laid.spec.key == key), None)
    if laid is None:
        raise errors.PageNotFoundError()
    return laid.spec


async def _fixed(conn: Connection, work: Work, spec: PageSpec) -> dict[str, Any]:
    """Fields the unit may not change here: 统一社会信用代码 always, the locked ones when verified."""
    if spec.key != UNIT_INFO:
        return {}
    fixed: dict[str, Any] = {"credit_code": work.credit_code}
    if work.unit is None or not work.unit.verified:
        return fixed
    locked = [f.key for f in spec.fields if f.locked_when_verified and work.application_type not in f.editable_in]
    record = on_record(work.unit, await pages.approved_values(conn, work.unit_id, (UNIT_INFO, CHANGES)))
    fixed.update({key: record[key] for key in locked if key in record})
    return fixed


def _field_view(f: FieldSpec, work: Work, fixed: Mapping[str, Any]) -> api.FieldDefinition:
    options = [api.FieldOption(value=v, label=label) for v, label in f.options]
    if f.kind == "certificate":
        options = [
            api.FieldOption(value=c.number, label=f"{c.number}（{c.certificate_type}）")
            for c in work.held
            if c.certificate_type == work.certificate_type
        ]
    return api.FieldDefinition(
        key=f.key,
        label=f.label,
        kind=f.kind,  # type: ignore[arg-type]
        required=f.required,
        max_length=f.max_length,
        options=options,
        read_only=f.read_only or f.key in fixed,
        locked=f.locked_when_verified and f.key in fixed,
        item_fields=[_field_view(i, work, {}) for i in f.item_fields],
        min_items=f.min_items,
        max_items=f.max_items,
        help=f.help,
    )


def _definition(spec: PageSpec, work: Work, fixed: Mapping[str, Any], levels: Levels | None) -> api.PageDefinition:
    return api.PageDefinition(
        key=spec.key,
        title=spec.title,
        section=spec.section,
        fields=[_field_view(f, work, fixed) for f in spec.fields_for(work.application_type)],
        uploads=[api.UploadDefinition(purpose=u.purpose, label=u.label, required=u.required) for u in spec.uploads],
        roster=spec.roster,
        level_options=list(levels.options) if levels else [],
        standard_version=levels.version if levels else None,
        current_levels=_current_levels(work) if levels else None,
    )


def _current_levels(work: Work) -> list[api.HeldLevel] | None:
    current = work.current_levels()
    if current is None:
        return None
    return [api.HeldLevel(category=c.category, level=c.level, sub_items=list(c.sub_items)) for c in current]


async def _levels(spec: PageSpec, standard: StandardLevels, services: ServiceClient) -> Levels | None:
    if not any(f.kind == "levels" for f in spec.fields):
        return None
    return await standard.levels(services)


def _page(
    work: Work, spec: PageSpec, fixed: Mapping[str, Any], levels: Levels | None, earlier: EarlierPage | None = None
) -> api.WorkPage:
    saved = work.pages.get(spec.key)
    errors_now = page_errors(work, spec) or {}
    status = "未填写" if saved is None else ("有误" if errors_now else "已保存")
    earlier = None if saved else earlier
    values = dict(saved.values) if saved else _prefill(work, spec, fixed, earlier)
    documents = saved.documents if saved else (carried_documents(spec, earlier) if earlier else {})
    return api.WorkPage(
        application_id=work.id,
        key=spec.key,
        title=spec.title,
        version=work.version,
        editable=work.editable,
        definition=_definition(spec, work, fixed, levels),
        values=values,
        documents={k: list(v) for k, v in documents.items()},
        status=status,  # type: ignore[arg-type]
        errors=errors_now if saved else ({spec.key: _CONFIRMED} if spec.roster else {}),
        saved_at=saved.saved_at if saved else None,
        prefilled_from=_source(earlier) if earlier else None,
        returned=work.page_returned(spec.key),
    )


def _prefill(work: Work, spec: PageSpec, fixed: Mapping[str, Any], earlier: EarlierPage | None) -> dict[str, Any]:
    """An unsaved page shows what is known: the unit's name and code, what it filed on this page of
    its earlier work, and the particulars on record (which win)."""
    carried = carried_values(spec, work.application_type, earlier, fixed) if earlier else {}
    known: dict[str, Any] = {"unit_name": work.unit_name} if fixed else {}
    current = _current_levels(work)
    if current is not None:  # 专业范围变更 starts from the certificate's 专业范围
        known.update({f.key: msgspec.to_builtins(current) for f in spec.fields if f.kind == "levels"})
    return {**known, **carried, **{k: v for k, v in fixed.items() if k in (*LOCKABLE, "credit_code")}}


def _source(earlier: EarlierPage) -> api.PrefilledFrom:
    return api.PrefilledFrom(
        application_id=earlier.application_id,
        application_type=earlier.application_type,
        state=earlier.state,  # type: ignore[arg-type]
        state_label=api.STATE_LABELS[earlier.state],
        submitted_at=earlier.submitted_at,
    )


async def _earlier(conn: Connection, work: Work, spec: PageSpec, caller: Caller) -> EarlierPage | None:
    """The same page of the unit's earlier work, for its own unsaved, editable page (see model.prefill)."""
    if caller.role != "unit" or not work.editable or spec.key in work.pages or not carries(spec):
        return None
    return await pages.earlier_page(conn, work.unit_id, spec.key, work.id)


async def get_page(
    application_id: str,
    key: str,
    caller: Caller,
    uow: UnitOfWork,
    *,
    services: ServiceClient,
    standard: StandardLevels,
) -> api.WorkPage:
    async with uow.reading() as conn:
        work = await readable_work(conn, application_id, caller)
        spec = _spec(work, key)
        fixed = await _fixed(conn, work, spec)
        earlier = await _earlier(conn, work, spec, caller)
    return _page(work, spec, fixed, await _levels(spec, standard, services), earlier)


async def save_page(
    application_id: str,
    key: str,
    data: api.SavePage,
    caller: Caller,
    uow: UnitOfWork,
    *,
    if_match: str | None,
    services: ServiceClient,
    standard: StandardLevels,
    caller_token: str,
) -> api.WorkPage:
    """保存: refused (400, every field's message) when a field is wrong; uploads are checked with
    the documents service; the work's version moves on, and 409 when it had already moved."""
    expected = _expected_version(data, if_match)
    async with uow:
        work = await owned_work(uow.conn, application_id, caller, lock=True)
        spec = _spec(work, key)
        if not work.editable:
            raise errors.NotEditableError(api.STATE_LABELS[work.state])
        if expected is not None and expected != work.version:
            raise errors.StaleVersionError()
        fixed = await _fixed(uow.conn, work, spec)
        levels = await _levels(spec, standard, services)
        values = await _checked(work, spec, data, fixed, levels, services, caller_token)
        version = await _store(uow.conn, work, spec, values, data.documents)
        work.version, work.pages[spec.key] = version, SavedPage(spec.key, values, data.documents, clock.now())
        await uow.commit()
    return _page(work, spec, fixed, levels)


def _expected_version(data: api.SavePage, if_match: str | None) -> int | None:
    if if_match is not None:
        text = if_match.strip().removeprefix("W/").strip('"')
        if not text.isdigit():
            raise errors.PageInvalidError({"version": "If-Match 应为工作的版本号"})
        return int(text)
    return data.version


async def _checked(
    work: Work,
    spec: PageSpec,
    data: api.SavePage,
    fixed: Mapping[str, Any],
    levels: Levels | None,
    services: ServiceClient,
    caller_token: str,
) -> dict[str, Any]:
    ctx = context_of(work)
    ctx = FieldContext(
        application_type=work.application_type,
        fixed=fixed,
        levels=levels.by_category if levels else None,
        certificates=ctx.certificates,
        current_scope=ctx.current_scope,
    )
    values, problems = check_page(spec, data.values, ctx)
    problems.update(await _upload_problems(work, spec, data.documents, services, caller_token))
    if problems:
        raise errors.PageInvalidError(problems)
    return values


async def _store(
    conn: Connection, work: Work, spec: PageSpec, values: Mapping[str, Any], documents: Mapping[str, list[str]]
) -> int:
    jurisdiction = None
    if spec.key == UNIT_INFO and "registered_address" in values:
        jurisdiction = jurisdiction_for(work.certificate_type, work.credit_code, values["registered_address"])
    now = clock.now()
    version = await works.touch(
        conn, work.id, expected_version=work.version, states=("draft", "returned"), now=now, jurisdiction=jurisdiction
    )
    if version is None:
        raise errors.StaleVersionError()
    if jurisdiction is not None:
        work.jurisdiction = jurisdiction
    await pages.save(conn, work.id, spec.key, values, {k: list(v) for k, v in documents.items() if v}, now)
    return version


async def _upload_problems(
    work: Work, spec: PageSpec, documents: Mapping[str, list[str]], services: ServiceClient, caller_token: str
) -> dict[str, str]:
    """Each upload must be a purpose the page asks for, and each document the unit's own, of that
    材料类型 (asked of the documents service; documents already saved on the page are not asked again)."""
    problems: dict[str, str] = {}
    wanted = {u.purpose: u for u in spec.uploads}
    saved = work.pages.get(spec.key)
    known = {i for ids in saved.documents.values() for i in ids} if saved else set()
    asks: list[tuple[str, int, str]] = []
    for purpose, ids in documents.items():
        if purpose not in wanted:
            problems[f"documents.{purpose}"] = f"本页面不需要上传「{purpose}」"
            continue
        if len(set(ids)) != len(ids):
            problems[f"documents.{purpose}"] = f"{wanted[purpose].label}中有重复的附件"
        asks.extend((purpose, index, i) for index, i in enumerate(ids) if i not in known)
    found = await asyncio.gather(*(_document(services, i, caller_token) for _, _, i in asks))
    for (purpose, index, _), document in zip(asks, found, strict=True):
        if document is None:
            problems.setdefault(f"documents.{purpose}", f"第{index + 1}个附件不存在或已删除，请重新上传")
        elif document.purpose != purpose:
            problems.setdefault(
                f"documents.{purpose}",
                f"第{index + 1}个附件的材料类型是「{document.purpose}」，不能作为「{wanted[purpose].label}」",
            )
    return problems


async def _document(services: ServiceClient, document_id: str, token: str) -> Document | None:
    try:
        return await services.call(
            "documents", "GET", f"/documents/{quote(document_id, safe='')}", response_type=Document, token=token
        )
    except NotFoundError:
        return None
