"""HTTP API of the applications service: the work (工作) and its pages (信息填报).

    GET    /types                          -> ApplicationTypeOptions  (unit: which 工作类型 × 证书类型 it may create)
    GET    /works?page=&page_size=         -> WorkList, newest first  (unit: its own)
    POST   /works          CreateWork      -> 201 Work                (unit; 409 when work is in progress)
    GET    /works/{id}                     -> Work                    (owner, or an authority covering it)
    DELETE /works/{id}                     -> 204                     (owner; only never-submitted drafts)
    GET    /works/{id}/pages/{key}         -> WorkPage                (owner)
    PUT    /works/{id}/pages/{key} SavePage -> WorkPage               (owner; draft or returned; If-Match)

The workflow (提交, 受理, 审批记录, deadlines, the queue) is in ``review_api``. A page refused by
validation is a 400 whose ``details`` is ``{"field": "$.values.<first key>", "fields": {key:
message}}``: ``field`` as every other service names the first bad field, ``fields`` lists every
field's Chinese message so the portal shows each next to its input. Upload keys are
``documents.<purpose>``.
"""

from __future__ import annotations

import datetime
from typing import Annotated, Any, Literal

import msgspec

from contracts.base import Request, Response
from contracts.types import ApplicationType, CertificateType

__all__ = [
    "STATE_LABELS",
    "ApplicationTypeOption",
    "ApplicationTypeOptions",
    "CreateWork",
    "FieldDefinition",
    "FieldKind",
    "FieldOption",
    "HeldLevel",
    "LevelOption",
    "PageDefinition",
    "PageState",
    "PageStatus",
    "PrefilledFrom",
    "ReturnNotice",
    "SavePage",
    "UploadDefinition",
    "Work",
    "WorkList",
    "WorkPage",
    "WorkState",
    "WorkSummary",
]

WorkState = Literal["draft", "submitted", "returned", "accepted", "approved", "refused", "withdrawn"]
"""The state code of a piece of work; ``state_label`` carries the Chinese the portal shows."""

STATE_LABELS: dict[str, str] = {
    "draft": "填报中",
    "submitted": "已提交",
    "returned": "退回补齐",
    "accepted": "已受理",
    "approved": "已批准",
    "refused": "不予批准",
    "withdrawn": "已撤回",
}

PageState = Literal["未填写", "已保存", "有误"]
"""A page in the page switcher: never saved, saved and complete, or saved with what is missing."""

FieldKind = Literal[
    "text", "textarea", "select", "date", "number", "province_address", "people", "levels", "certificate", "removals"
]
"""How a field is entered and what its value is:

- ``text`` / ``textarea`` / ``select`` / ``date`` (ISO ``YYYY-MM-DD``): a string;
- ``number``: a JSON number;
- ``province_address``: ``{"province": "110000", "detail": "…"}`` (province from ``options``);
- ``people``: a list of objects, each with the ``item_fields`` keys (``min_items``..``max_items``);
- ``levels``: a list of ``{"category", "level", "sub_items": [...]}`` from the standard in force
  (``PageDefinition.level_options``);
- ``certificate``: a held certificate's number (``options`` lists the unit's certificates);
- ``removals``: the 专业类别 a 专业范围变更 drops from the certificate, each confirmed by the unit
  (``PageDefinition.current_levels`` is the certificate's scope; one dropped and not listed is
  refused at 保存 and 提交).
"""

PageKey = Annotated[str, msgspec.Meta(min_length=1, max_length=64)]
DocumentId = Annotated[str, msgspec.Meta(min_length=1, max_length=64)]

# --- 新建工作 ------------------------------------------------------------------------------------


class ApplicationTypeOption(Response):
    """One cell of the 新建工作 dialog: may this unit create this type for this certificate type,
    and if not, why (Chinese, shown next to the disabled choice)."""

    application_type: str
    certificate_type: str
    allowed: bool
    reason: str | None = None


class ApplicationTypeOptions(Response):
    """The matrix of 工作类型 × 证书类型 for the calling unit, in the dialog's order."""

    application_types: list[str]
    certificate_types: list[str]
    items: list[ApplicationTypeOption]


class CreateWork(Request):
    """新建工作 → 确定."""

    application_type: ApplicationType
    certificate_type: CertificateType


# --- the work ------------------------------------------------------------------------------------


class PageStatus(Response):
    """One entry of the page switcher. ``returned``: the 退回补齐 notice names the page and the unit
    has not saved it since."""

    key: str
    title: str
    status: PageState
    required: bool = True
    returned: bool = False


class ReturnNotice(Response, kw_only=True):
    """退回补齐 as the unit reads it while its work is returned: the authority's notice, its
    reasons and opinion, the titles of the pages concerned, who and when."""

    notice: str | None = None
    reasons: list[str] = msgspec.field(default_factory=list)
    opinion: str | None = None
    pages: list[str] = msgspec.field(default_factory=list)
    authority_name: str | None = None
    returned_at: datetime.datetime


class WorkSummary(Response, kw_only=True):
    """A row of the 工作列表 (and the head of a Work)."""

    id: str
    application_type: str
    certificate_type: str
    state: WorkState
    state_label: str
    version: int
    revision: int
    jurisdiction: str
    unit_id: str
    unit_name: str
    credit_code: str
    created_at: datetime.datetime
    submitted_at: datetime.datetime | None = None
    certificate_number: str | None = None
    editable: bool = False
    """The unit may save pages (填报中 or 退回补齐)."""
    deletable: bool = False
    """删除 is offered: never submitted."""
    deadline: datetime.date | None = None
    """The current step's last day (受理 due while 已提交, 批准 due while 已受理); None otherwise."""
    working_days_left: int | None = None
    """剩余工作日 to ``deadline``: 0 on the last day, negative once it passed."""
    overdue: bool = False
    """``deadline`` has passed."""
    return_notice: ReturnNotice | None = None
    """While 退回补齐: the authority's notice."""


class Work(WorkSummary, kw_only=True):
    """One piece of work with its page switcher, its deadlines (filled by the workflow) and warnings."""

    pages: list[PageStatus] = msgspec.field(default_factory=list)
    accept_due: datetime.date | None = None
    """受理 due (5 工作日 after 提交)."""
    decision_due: datetime.date | None = None
    """批准 due (15 工作日 after 受理, +10 when extended)."""
    deemed_accepted_on: datetime.date | None = None
    """视为受理: the day the work counted as accepted without an authority's act."""
    warnings: list[str] = msgspec.field(default_factory=list)


class WorkList(Response):
    """One page of the unit's 工作列表, newest first."""

    items: list[WorkSummary]
    total: int
    page: int
    page_size: int


# --- pages ---------------------------------------------------------------------------------------


class FieldOption(Response):
    value: str
    label: str


class FieldDefinition(Response, kw_only=True):
    """One input of a page, as the versioned page data defines it. ``read_only`` is decided for
    this work (单位名称 once the unit is verified, except in 新单位注册)."""

    key: str
    label: str
    kind: FieldKind
    required: bool = False
    max_length: int | None = None
    options: list[FieldOption] = msgspec.field(default_factory=list)
    read_only: bool = False
    locked: bool = False
    """Read-only because the unit is verified (单位名称, 注册地址, 法定代表人): changed by 基本信息变更."""
    item_fields: list[FieldDefinition] = msgspec.field(default_factory=list)
    """For ``people``: the fields of each person."""
    min_items: int | None = None
    max_items: int | None = None
    help: str | None = None


class UploadDefinition(Response, kw_only=True):
    """An upload a page asks for: the documents service's 材料类型 (``purpose``)."""

    purpose: str
    label: str
    required: bool = False


class LevelOption(Response):
    """A 专业类别 of the standard in force, its 等级 and its 专业子项 (may be empty)."""

    category: str
    levels: list[str]
    sub_items: list[str] = msgspec.field(default_factory=list)


class HeldLevel(Response):
    """A 专业类别 on a held certificate, its 等级 and its 专业子项."""

    category: str
    level: str
    sub_items: list[str] = msgspec.field(default_factory=list)


class PageDefinition(Response, kw_only=True):
    """A page of the work (manual §5). ``roster`` names the staffing list embedded on a roster page
    (``persons``, ``equipment``, ``projects``): such a page has no fields and is 已保存 once opened
    and confirmed (PUT with empty values)."""

    key: str
    title: str
    section: str | None = None
    fields: list[FieldDefinition] = msgspec.field(default_factory=list)
    uploads: list[UploadDefinition] = msgspec.field(default_factory=list)
    roster: str | None = None
    level_options: list[LevelOption] = msgspec.field(default_factory=list)
    standard_version: str | None = None
    current_levels: list[HeldLevel] | None = None
    """For a 专业范围变更: the 专业范围 on the certificate it changes (增加 and 减少 are against it)."""


class PrefilledFrom(Response, kw_only=True):
    """The unit's earlier work a never-saved page's ``values`` and ``documents`` were taken from."""

    application_id: str
    application_type: str
    state: WorkState
    state_label: str
    submitted_at: datetime.datetime | None = None


class WorkPage(Response, kw_only=True):
    """One page of one work: its definition, what was saved, and what is missing.

    ``version`` is the work's version: send it back (If-Match or ``SavePage.version``).
    ``errors`` maps field keys (``documents.<purpose>`` for uploads) to Chinese messages.
    ``prefilled_from``: the page was never saved on this work, and its values and uploads are what
    the unit filed on the same page of that earlier work; it stays 未填写 until the unit saves it.
    """

    application_id: str
    key: str
    title: str
    version: int
    editable: bool
    definition: PageDefinition
    values: dict[str, Any] = msgspec.field(default_factory=dict)
    documents: dict[str, list[str]] = msgspec.field(default_factory=dict)
    status: PageState = "未填写"
    errors: dict[str, str] = msgspec.field(default_factory=dict)
    saved_at: datetime.datetime | None = None
    prefilled_from: PrefilledFrom | None = None
    returned: bool = False
    """The 退回补齐 notice names this page and the unit has not saved it since."""


class SavePage(Request, kw_only=True):
    """保存 one page: its field values and, per 材料类型, the ids of the uploaded documents.
    ``version`` is the work's version the unit edited (or send it as If-Match)."""

    values: Annotated[dict[str, Any], msgspec.Meta(max_length=100)] = msgspec.field(default_factory=dict)
    documents: Annotated[
        dict[PageKey, Annotated[list[DocumentId], msgspec.Meta(max_length=50)]], msgspec.Meta(max_length=20)
    ] = msgspec.field(default_factory=dict)
    version: Annotated[int, msgspec.Meta(ge=1)] | None = None
