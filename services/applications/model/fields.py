"""Field values: check what the unit typed on a page against the page's definition.

``check_page`` returns the cleaned values (trimmed strings, read-only fields as on record) and a
map of field key → Chinese message; the same check decides 有误 in the page switcher and
completeness at 提交. Upload keys are ``documents.<purpose>``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .pages import FieldSpec, PageSpec
from .scope_change import removal_refusal, scope_changes

__all__ = ["FieldContext", "check_page", "missing_uploads"]

_DEFAULT_MAX = {"text": 200, "textarea": 2000}
_DETAIL_MAX = 200


@dataclass(frozen=True, slots=True)
class FieldContext:
    """What the check needs from outside the page: the work's type, the fields fixed on record
    (key → value, refused when changed), the standard's 专业类别 (category → (levels, 专业子项);
    None: not checked), the unit's certificate numbers of this type, and for a 专业范围变更 the
    专业类别 on the certificate it changes (``current_scope``; None: nothing to change)."""

    application_type: str
    fixed: Mapping[str, Any] = field(default_factory=dict)
    levels: Mapping[str, tuple[frozenset[str], frozenset[str]]] | None = None
    certificates: frozenset[str] | None = None
    current_scope: tuple[str, ...] | None = None


def _empty(value: Any) -> bool:
    return value is None or (isinstance(value, str | list | dict) and not value)


def check_page(spec: PageSpec, values: Mapping[str, Any], ctx: FieldContext) -> tuple[dict[str, Any], dict[str, str]]:
    """(cleaned values, errors) for ``values`` saved on ``spec``; unknown keys are errors."""
    clean: dict[str, Any] = {}
    errors: dict[str, str] = {}
    fields = spec.fields_for(ctx.application_type)
    known = {f.key for f in fields}
    for key in values:
        if key not in known:
            errors[key] = "该页面没有此项"
    for f in fields:
        value = values.get(f.key)
        if isinstance(value, str):
            value = value.strip()
        problem, value = _check_field(f, value, ctx)
        if problem:
            errors[f.key] = problem
        elif not _empty(value):
            clean[f.key] = value
    if spec.rule == "at_least_one_change" and not errors and not clean:
        errors[spec.fields[0].key if spec.fields else "values"] = "请至少填写一项变更内容"
    _confirm_removals(fields, clean, errors, ctx)
    return clean, errors


def _confirm_removals(
    fields: tuple[FieldSpec, ...], clean: dict[str, Any], errors: dict[str, str], ctx: FieldContext
) -> None:
    """A ``removals`` field keeps only the confirmed 专业 the request drops; one dropped and not
    confirmed is an error on it (see ``model.scope_change``)."""
    removals = next((f for f in fields if f.kind == "removals"), None)
    levels = next((f for f in fields if f.kind == "levels"), None)
    if removals is None:
        return
    given = clean.pop(removals.key, None) or ()
    if levels is None or ctx.current_scope is None or levels.key in errors:
        return
    changes = scope_changes(ctx.current_scope, clean.get(levels.key))
    confirmed = [c for c in given if c in changes.removed]
    if confirmed:
        clean[removals.key] = confirmed
    refusal = removal_refusal(changes, confirmed)
    if refusal:
        errors[removals.key] = refusal


def missing_uploads(spec: PageSpec, documents: Mapping[str, list[str]]) -> dict[str, str]:
    """Required uploads with no document: ``documents.<purpose>`` → 请上传….."""
    return {
        f"documents.{u.purpose}": f"请上传{u.label}"
        for u in spec.uploads
        if u.required and not documents.get(u.purpose)
    }


def _check_field(f: FieldSpec, value: Any, ctx: FieldContext) -> tuple[str | None, Any]:
    if f.key in ctx.fixed and ctx.fixed[f.key] is not None:
        if not _empty(value) and value != ctx.fixed[f.key]:
            return f"{f.label}不可修改" + ("，如需变更请办理基本信息变更" if f.locked_when_verified else ""), value
        value = ctx.fixed[f.key]
    if _empty(value):
        if not f.required:
            return None, None
        return (f"请填写{f.label}" if f.kind not in ("select", "certificate") else f"请选择{f.label}"), None
    return _CHECKS[f.kind](f, value, ctx), value


def _text(f: FieldSpec, value: Any, _: FieldContext) -> str | None:
    if not isinstance(value, str):
        return f"{f.label}应为文字"
    limit = f.max_length or _DEFAULT_MAX.get(f.kind, 200)
    if len(value) > limit:
        return f"{f.label}不能超过{limit}个字"
    if f.pattern and not re.fullmatch(f.pattern, value):
        return f.pattern_message or f"{f.label}格式不正确"
    return None


def _select(f: FieldSpec, value: Any, _: FieldContext) -> str | None:
    if value not in {v for v, _ in f.options}:
        return f"请从列表中选择{f.label}"
    return None


def _date(f: FieldSpec, value: Any, _: FieldContext) -> str | None:
    try:
        day = dt.date.fromisoformat(value) if isinstance(value, str) and len(value) == 10 else None
    except ValueError:
        day = None
    if day is None:
        return f"{f.label}应为有效日期（如2020-01-31）"
    return None


def _number(f: FieldSpec, value: Any, _: FieldContext) -> str | None:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1e12:
        return f"{f.label}应为不小于0的数字"
    return None


def _province_address(f: FieldSpec, value: Any, _: FieldContext) -> str | None:
    if not isinstance(value, Mapping) or set(value) - {"province", "detail"}:
        return f"{f.label}应包含省份和详细地址"
    if value.get("province") not in {v for v, _ in f.options}:
        return f"请选择{f.label}所在省份"
    detail = value.get("detail")
    if not isinstance(detail, str) or not detail.strip():
        return f"请填写{f.label}的详细地址"
    if len(detail) > _DETAIL_MAX:
        return f"{f.label}的详细地址不能超过{_DETAIL_MAX}个字"
    return None


def _people(f: FieldSpec, value: Any, ctx: FieldContext) -> str | None:
    if not isinstance(value, list) or not all(isinstance(item, Mapping) for item in value):
        return f"{f.label}格式不正确"
    if f.min_items is not None and len(value) < f.min_items:
        return f"请填写{f.label}"
    if f.max_items is not None and len(value) > f.max_items:
        return f"{f.label}最多{f.max_items}人"
    for index, item in enumerate(value):
        inner = PageSpec(key=f.key, title=f.label, fields=f.item_fields)
        _, errors = check_page(inner, item, FieldContext(application_type=ctx.application_type))
        if errors:
            key, message = next(iter(errors.items()))
            label = next((i.label for i in f.item_fields if i.key == key), key)
            return f"{f.label}第{index + 1}人：{message if key in inner.field_index else label + '无效'}"
    return None


def _levels(f: FieldSpec, value: Any, ctx: FieldContext) -> str | None:
    if not isinstance(value, list) or not all(isinstance(i, Mapping) and i.get("category") for i in value):
        return f"{f.label}格式不正确"
    categories = [i["category"] for i in value]
    if len(set(categories)) != len(categories):
        return "同一专业类别只能申请一个等级"
    for item in value:
        problem = _level(item, ctx)
        if problem:
            return problem
    return None


def _level(item: Mapping[str, Any], ctx: FieldContext) -> str | None:
    category, level, subs = item.get("category"), item.get("level"), item.get("sub_items") or []
    if set(item) - {"category", "level", "sub_items"} or not isinstance(subs, list):
        return f"专业类别「{category}」格式不正确"
    if ctx.levels is None:
        return None
    if category not in ctx.levels:
        return f"专业类别「{category}」不在现行资质标准中，请从列表中选择"
    levels, sub_items = ctx.levels[str(category)]
    if level not in levels:
        return f"专业类别「{category}」没有「{level}」等级"
    unknown = [s for s in subs if s not in sub_items]
    if unknown:
        return f"专业子项「{unknown[0]}」不属于专业类别「{category}」"
    return None


def _removals(f: FieldSpec, value: Any, _: FieldContext) -> str | None:
    if not isinstance(value, list) or not all(isinstance(i, str) for i in value) or len(value) > 50:
        return f"{f.label}格式不正确"
    return None


def _certificate(f: FieldSpec, value: Any, ctx: FieldContext) -> str | None:
    if not isinstance(value, str):
        return f"请选择{f.label}"
    if ctx.certificates is not None and value not in ctx.certificates:
        return f"{f.label}不是本单位持有的有效证书，请从列表中选择"
    return None


_CHECKS = {
    "text": _text,
    "textarea": _text,
    "select": _select,
    "date": _date,
    "number": _number,
    "province_address": _province_address,
    "people": _people,
    "levels": _levels,
    "certificate": _certificate,
    "removals": _removals,
}
