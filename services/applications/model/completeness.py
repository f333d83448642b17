"""Completeness (信息填报): each page's status in the switcher and, at 提交, what is missing.

A page never saved is 未填写; a saved page whose values or uploads no longer satisfy its
definition is 有误; else 已保存. A roster page (技术人员, 技术装备, 测绘业绩) is 已保存 once the unit
opened and confirmed it; the roster's own completeness is staffing's 满足情况.
"""

from __future__ import annotations

from .fields import FieldContext, check_page, missing_uploads
from .pages import PageSpec
from .work import Work

__all__ = ["NOT_SAVED", "context_of", "page_errors", "page_problems", "page_status"]

NOT_SAVED = "尚未填写并保存"


def context_of(work: Work) -> FieldContext:
    """The check's context at 提交: the unit's certificates of this type and, for a 专业范围变更, the
    certificate's 专业类别; levels were checked at 保存."""
    numbers = frozenset(c.number for c in work.held if c.certificate_type == work.certificate_type)
    current = work.current_levels()
    scope = tuple(c.category for c in current) if current is not None else None
    return FieldContext(application_type=work.application_type, certificates=numbers, current_scope=scope)


def page_errors(work: Work, spec: PageSpec, ctx: FieldContext | None = None) -> dict[str, str] | None:
    """Field key → message for a saved page (empty: complete); None when the page was never saved."""
    saved = work.pages.get(spec.key)
    if saved is None:
        return None
    _, errors = check_page(spec, saved.values, ctx or context_of(work))
    return {**errors, **missing_uploads(spec, saved.documents)}


def page_status(work: Work, spec: PageSpec, ctx: FieldContext | None = None) -> str:
    """未填写 | 已保存 | 有误."""
    errors = page_errors(work, spec, ctx)
    if errors is None:
        return "未填写"
    return "有误" if errors else "已保存"


def page_problems(work: Work) -> dict[str, list[str]]:
    """Page title → what is missing there (Chinese); empty when every page is complete."""
    ctx = context_of(work)
    problems: dict[str, list[str]] = {}
    for laid in work.laid_pages():
        errors = page_errors(work, laid.spec, ctx)
        if errors is None:
            problems[laid.spec.title] = [NOT_SAVED]
        elif errors:
            problems[laid.spec.title] = list(errors.values())
    return problems
