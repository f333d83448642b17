"""Prefill (沿用上次填报): a page never saved on a new work starts from what the unit filed on the
same page of its earlier work, so the clerk does not type 单位基本信息, 法人及分管资质申报领导信息,
单位简介 and the standing 制度 uploads again.

The earlier work is the unit's own, never another unit's, and the page is the same definition key.
It is taken from work whose pages are as frozen at its last 提交 (``FILED_STATES``): the last
approved one first, else the most recently submitted one. Its uploads were frozen by that 提交, and
a frozen document is never deleted, so they are still usable; a 材料类型 the page no longer asks for
is left out. A prefilled page stays 未填写 until the unit saves it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .pages import PageSpec
from .work import CANCELLATION, CHANGES, REISSUE, SCOPE

__all__ = ["FILED_STATES", "PER_WORK_PAGES", "EarlierPage", "carried_documents", "carried_values", "carries"]

FILED_STATES = ("submitted", "accepted", "approved", "refused", "withdrawn")
"""States whose pages are exactly what the last 提交 froze (never 填报中 or 退回补齐, being edited)."""

PER_WORK_PAGES = frozenset({"application_form", SCOPE, CHANGES, REISSUE, CANCELLATION})
"""Pages that state this one request and are never carried over: 申请书 (signed for one
application), 专业范围 (what this work asks for), 变更信息, 补领原因 and 注销信息."""


@dataclass(frozen=True, slots=True)
class EarlierPage:
    """The same page as saved on the unit's earlier work (工作): which work, and what it holds."""

    application_id: str
    application_type: str
    state: str
    submitted_at: dt.datetime | None
    values: Mapping[str, Any]
    documents: Mapping[str, list[str]]


def carries(spec: PageSpec) -> bool:
    """The page starts from the earlier work's: not a roster page (confirmed against the live
    roster each time) and not a page of this request only (``PER_WORK_PAGES``)."""
    return spec.roster is None and spec.key not in PER_WORK_PAGES


def carried_values(
    spec: PageSpec, application_type: str, earlier: EarlierPage, fixed: Mapping[str, Any]
) -> dict[str, Any]:
    """The earlier values of the fields this type shows that the unit may enter: read-only and
    fixed fields (统一社会信用代码, the particulars on record) come from ``fixed``, never from here."""
    keys = {f.key for f in spec.fields_for(application_type) if not f.read_only and f.key not in fixed}
    return {key: value for key, value in earlier.values.items() if key in keys}


def carried_documents(spec: PageSpec, earlier: EarlierPage) -> dict[str, list[str]]:
    """The earlier uploads of each 材料类型 the page still asks for."""
    wanted = {u.purpose for u in spec.uploads}
    return {purpose: list(ids) for purpose, ids in earlier.documents.items() if purpose in wanted and ids}
