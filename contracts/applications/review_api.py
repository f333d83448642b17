"""HTTP API of the applications workflow: 提交, the authority's actions, 审批记录, the queue, the calendar.

    POST /works/{id}/submission  SubmitWork  -> 200 WorkflowStatus  (owner unit; Idempotency-Key)
    POST /works/{id}/actions     TakeAction  -> 200 WorkflowStatus  (authority with the role; owner for 撤回)
    GET  /works/{id}/workflow                -> WorkflowStatus      (owner, or an authority covering it)
    GET  /works/{id}/records                 -> ReviewRecords       (owner, or an authority covering it)
    GET  /queue?state=&category=&q=&overdue=&sort=&page=&page_size= -> QueuePage   (authority: its jurisdiction)
    GET  /calendar/reminder                  -> CalendarReminder    (signed in)
    GET  /calendar/{year}                    -> CalendarYear        (signed in)
    PUT  /calendar/{year}        CalendarNotice -> CalendarYear     (the administrator)

Refusals: 提交 with pages incomplete → 400 ``applications.incomplete_pages`` (``details.pages``:
page title → what is missing); a failing standard → 400 ``applications.standard_not_met``
(``details.evaluation``: the standards' Evaluation); another version, or another reviewer first →
409 ``applications.stale_version`` (该申请已被他人处理，请刷新后查看).
"""

from __future__ import annotations

import datetime
from typing import Annotated, Literal

import msgspec

from contracts.base import Request, Response
from contracts.standards.api import Evaluation

__all__ = [
    "ActionOption",
    "CalendarDay",
    "CalendarNotice",
    "CalendarReminder",
    "CalendarYear",
    "Deadlines",
    "Holder",
    "NoticeDay",
    "QueueItem",
    "QueuePage",
    "QueueSort",
    "ReviewRecord",
    "ReviewRecords",
    "SubmitWork",
    "TakeAction",
    "WorkflowStatus",
]

Version = Annotated[int, msgspec.Meta(ge=1, le=2_000_000_000)]
Opinion = Annotated[str, msgspec.Meta(max_length=2000)]
Reason = Annotated[str, msgspec.Meta(min_length=1, max_length=500)]
DocumentId = Annotated[str, msgspec.Meta(min_length=1, max_length=64)]
ActionCode = Annotated[str, msgspec.Meta(min_length=1, max_length=32, pattern=r"^[a-z_]+$")]
QueueSort = Literal["deadline", "-deadline", "submitted", "-submitted"]


class SubmitWork(Request):
    """提交: the version of the work the unit looked at (a stale one is 409)."""

    expected_version: Version


class TakeAction(Request, kw_only=True):
    """One action of the workflow (``action`` is the data's code: claim, accept, return, withdraw,
    review, approve, refuse, extend). 退回补齐 and 不予批准 need ``reasons`` (all of them, one
    notice); 审查意见 and 延期 need ``opinion``; ``attachments`` are document ids."""

    action: ActionCode
    expected_version: Version
    opinion: Opinion | None = None
    reasons: Annotated[list[Reason], msgspec.Meta(max_length=50)] = msgspec.field(default_factory=list)
    attachments: Annotated[list[DocumentId], msgspec.Meta(max_length=20)] = msgspec.field(default_factory=list)
    pages: Annotated[list[Annotated[str, msgspec.Meta(pattern="^[a-z_]{1,64}$")]], msgspec.Meta(max_length=30)] = (
        msgspec.field(default_factory=list)
    )
    """退回补齐: the keys of the pages the notice concerns (marked on the unit's 信息填报 until saved again)."""


class Holder(Response):
    """Who holds the work for its current step (领取)."""

    account_id: str
    name: str
    claimed_at: datetime.datetime


class Deadlines(Response, kw_only=True):
    """The statutory deadlines as the unit and the authority see them. ``working_days_left`` and
    ``overdue`` are about ``deadline`` (the current step's); ``calendar_missing_years`` lists the
    years counted weekends-only because their 放假安排 is not loaded, and ``calendar_warning`` says so."""

    submitted_on: datetime.date | None = None
    accept_due: datetime.date | None = None
    accepted_on: datetime.date | None = None
    deemed: bool = False
    decision_due: datetime.date | None = None
    extended: bool = False
    decided_on: datetime.date | None = None
    deadline: datetime.date | None = None
    working_days_left: int | None = None
    overdue: bool = False
    calendar_missing_years: list[int] = msgspec.field(default_factory=list)
    calendar_warning: str | None = None


class ActionOption(Response, kw_only=True):
    """An action the caller may take now (the review screen shows only these)."""

    action: str
    label: str
    reasons_required: bool = False
    opinion_required: bool = False
    notice: str | None = None


class WorkflowStatus(Response, kw_only=True):
    """Where a work is in the workflow: state, version to send back, holder, deadlines, the
    standards' overall answer at 提交 (``incomplete`` is flagged for the reviewer) and what the
    caller may do next."""

    application_id: str
    state: str
    state_label: str
    version: int
    revision: int
    final: bool = False
    """The work is decided (已批准, 不予批准, 已撤回): nobody has anything left to do on it."""
    holder: Holder | None = None
    """Who holds the work (领取), for authorities; always None for the unit."""
    reviewed: bool = False
    """审查 gave its opinion on this revision (批准 / 不予批准 may follow)."""
    evaluation_overall: str | None = None
    snapshot_id: str | None = None
    deadlines: Deadlines = msgspec.field(default_factory=Deadlines)
    actions: list[ActionOption] = msgspec.field(default_factory=list)
    evaluation: Evaluation | None = None
    """The standards' whole table (满足情况) stored at the last 提交, for the review screen; None
    for a type without a roster. Answered by GET /works/{id}/workflow."""


class ReviewRecord(Response, kw_only=True):
    """One entry of the 审批记录: who did what, when, with which opinion, reasons and attachments."""

    id: int
    revision: int
    action: str
    action_label: str
    from_state: str
    to_state: str
    actor_name: str | None = None
    """The acting account's name, for authorities; None for a unit reading an authority's entry
    (a unit reads the 机关名称 and the 办理环节, never an officer's username)."""
    actor_role: str
    actor_role_label: str
    authority_name: str | None = None
    opinion: str | None = None
    reasons: list[str] = msgspec.field(default_factory=list)
    attachments: list[str] = msgspec.field(default_factory=list)
    notice: str | None = None
    details: dict[str, str] = msgspec.field(default_factory=dict)
    recorded_at: datetime.datetime


class ReviewRecords(Response):
    """The 审批记录 of one work, oldest first."""

    application_id: str
    items: list[ReviewRecord]


class QueueItem(Response, kw_only=True):
    """A row of the 待办 queue."""

    application_id: str
    unit_name: str
    credit_code: str
    application_type: str
    certificate_type: str
    jurisdiction: str
    state: str
    state_label: str
    version: int
    submitted_at: datetime.datetime | None = None
    deadline: datetime.date | None = None
    working_days_left: int | None = None
    overdue: bool = False
    deemed: bool = False
    extended: bool = False
    reviewed: bool = False
    holder: Holder | None = None
    evaluation_overall: str | None = None
    calendar_missing_years: list[int] = msgspec.field(default_factory=list)
    """The years the row's deadline was counted through whose 放假安排 is not loaded (loading
    them may move it); empty for a deadline inside loaded years."""
    calendar_warning: str | None = None


class QueuePage(Response, kw_only=True):
    """One page of the queue. ``calendar_missing_years`` and ``calendar_warning`` gather the rows'
    own (a year nobody's deadline reaches is not named: the administrator's reminder is
    ``GET /calendar/reminder``)."""

    items: list[QueueItem]
    page: int
    page_size: int
    total: int
    calendar_missing_years: list[int] = msgspec.field(default_factory=list)
    calendar_warning: str | None = None
    total_capped: bool = False
    """The count stopped at its cap: there are at least ``total`` matching works."""


class CalendarDay(Response):
    day: datetime.date
    name: str = ""


class CalendarYear(Response, kw_only=True):
    """A year of the working calendar: loaded (with its notice's source) or not (weekends only)."""

    year: int
    loaded: bool
    source: str | None = None
    loaded_by: str | None = None
    rest_days: list[CalendarDay] = msgspec.field(default_factory=list)
    """休息日 (statutory holidays and the days off around them)."""
    work_days: list[CalendarDay] = msgspec.field(default_factory=list)
    """调休上班: weekend days worked in lieu."""


class CalendarReminder(Response, kw_only=True):
    """The years a deadline counted from today may reach (today's and the next, within
    ``horizon_days``) whose 放假安排 is not loaded: the administrator is reminded to load them."""

    today: datetime.date
    horizon_days: int
    missing_years: list[int] = msgspec.field(default_factory=list)


class NoticeDay(Request):
    """One day of a notice, with the holiday it belongs to (元旦, 春节, …)."""

    day: datetime.date
    name: Annotated[str, msgspec.Meta(max_length=60)] = ""


class CalendarNotice(Request, kw_only=True):
    """A year's 国务院办公厅 放假通知 as loaded by the administrator: it replaces the year."""

    source: Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
    rest_days: Annotated[list[NoticeDay], msgspec.Meta(max_length=120)]
    work_days: Annotated[list[NoticeDay], msgspec.Meta(max_length=30)] = msgspec.field(default_factory=list)
