"""系统管理 → 放假安排 (issue 10, statutory time limits): the administrator's page of the working
calendar (工作日历) that deadlines are counted on.

``/admin/calendar?year=YYYY`` shows the year's 休息日 (the official holidays and the days off
around them) and 调休上班 days, and whether the year is loaded (and from which notice, by whom) or
counts weekends only. Its form loads the year's 国务院办公厅 放假通知: the notice's 文号 and two
textareas of dates, one a line — ``YYYY-MM-DD`` or a range ``YYYY-MM-DD~YYYY-MM-DD``, optionally
followed by the holiday's name (``2027-02-05~2027-02-11 春节``) — sent as one PUT /calendar/{year}
to applications, which checks it, replaces the year and counts open work's deadlines again. A line
that is no date is refused here, anything else by applications; either way the refusal is shown
next to its field and nothing is written. Anyone but the administrator is sent away like
``/admin/accounts`` does.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Annotated, Any

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromQuery, QueryParameter
from litestar.response import Redirect

from contracts.applications.review_api import CalendarDay, CalendarNotice, CalendarYear, NoticeDay
from gateway.csrf import FORM_FIELD
from gateway.sessions import Session
from services.kernel import DomainError, InvalidInputError, TokenMinter
from services.kernel.clock import today

from . import PAGE_HEADERS, check_form, page
from .admin_pages import FIX_MARKED_FIELDS
from .reminders import calendar_client, calendar_reminder

__all__ = ["NOTICE_FIELDS", "AdminCalendarPagesController", "parse_days"]

FIRST_YEAR, LAST_YEAR = 2000, 2100
"""The years applications' calendar keeps (the picker lists 2004 … next year)."""
PICKER_FIRST_YEAR = 2004
NOTICE_FIELDS = {"source": "通知文号", "rest_days": "休息日", "work_days": "调休上班日"}
MAX_DAYS = {"rest_days": 120, "work_days": 30}
"""How many days a notice lists at most (contracts.applications.review_api.CalendarNotice)."""
MAX_NAME, MAX_SOURCE = 60, 200
MIGRATION_LOADER = "migration"
"""``loaded_by`` of the years seeded at installation (2004–2026: migrations 0004 and 0007)."""
_LINE = re.compile(r"^(\d{4}-\d{1,2}-\d{1,2})(?:\s*[~～至]\s*(\d{4}-\d{1,2}-\d{1,2}))?(?:\s+(.+))?$")
WEEKDAYS = "一二三四五六日"


class NoticeLineError(InvalidInputError):
    """A textarea line that is no date or range (refused here: applications never sees it)."""

    code = "gateway.calendar_line_invalid"

    def __init__(self, field: str, problem: str) -> None:
        super().__init__(FIX_MARKED_FIELDS, details=[{"field": f"$.{field}", "problem": problem}])


def _date(text: str, field: str, number: int) -> dt.date:
    try:
        year, month, day = (int(part) for part in text.split("-"))
        return dt.date(year, month, day)
    except ValueError:
        raise NoticeLineError(field, f"第{number}行：{text} 不是有效日期") from None


def parse_days(text: str, field: str) -> list[NoticeDay]:
    """The days of a textarea, in order: ``YYYY-MM-DD`` or ``YYYY-MM-DD~YYYY-MM-DD``, then a name."""
    days: list[NoticeDay] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        match = _LINE.match(line.strip())
        if match is None:
            raise NoticeLineError(field, f"第{number}行：{line.strip()[:40]} 应为 YYYY-MM-DD 或 YYYY-MM-DD~YYYY-MM-DD")
        first = _date(match[1], field, number)
        last = _date(match[2], field, number) if match[2] else first
        name = (match[3] or "").strip()
        if last < first:
            raise NoticeLineError(field, f"第{number}行：结束日期早于开始日期")
        if len(name) > MAX_NAME:
            raise NoticeLineError(field, f"第{number}行：节日名称不超过{MAX_NAME}个字符")
        if len(days) + (last - first).days + 1 > MAX_DAYS[field]:
            raise NoticeLineError(field, f"{NOTICE_FIELDS[field]}最多{MAX_DAYS[field]}天")
        days += [NoticeDay(day=first + dt.timedelta(days=n), name=name) for n in range((last - first).days + 1)]
    return days


def _notice(values: dict[str, str]) -> CalendarNotice:
    """The form as a 放假通知, or InvalidInputError naming every field that is wrong here."""
    problems: list[dict[str, str]] = []
    if not values["source"] or len(values["source"]) > MAX_SOURCE:
        problems.append({"field": "$.source", "problem": f"请填写通知文号（不超过{MAX_SOURCE}个字符）"})
    parsed: dict[str, list[NoticeDay]] = {}
    for field in ("rest_days", "work_days"):
        try:
            parsed[field] = parse_days(values[field], field)
        except NoticeLineError as error:
            problems += error.details
    if not problems and not parsed["rest_days"]:
        problems.append({"field": "$.rest_days", "problem": "请至少填写一个休息日"})
    if problems:
        raise InvalidInputError(FIX_MARKED_FIELDS, details=problems)
    return CalendarNotice(source=values["source"], rest_days=parsed["rest_days"], work_days=parsed["work_days"])


def notice_errors(error: DomainError) -> dict[str, str]:
    """Field name → message: ours (``details`` a list), or applications' (``$.work_days[2]``)."""
    details = error.details
    if isinstance(details, dict) and isinstance(details.get("field"), str):
        details = [{"field": details["field"], "problem": error.message}]
    errors: dict[str, str] = {}
    for item in details if isinstance(details, list) else []:
        name = str(item.get("field", "")).removeprefix("$.").split(".")[0].split("[")[0]
        if name in NOTICE_FIELDS and name not in errors:
            errors[name] = str(item.get("problem") or error.message)
    return errors


@dataclass(frozen=True)
class Run:
    """Consecutive days of one holiday, as listed and as typed back into the form."""

    name: str
    first: dt.date
    last: dt.date

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    @property
    def line(self) -> str:
        dates = self.first.isoformat() + (f"~{self.last.isoformat()}" if self.last != self.first else "")
        return f"{dates} {self.name}".strip()


def runs(days: list[CalendarDay]) -> list[Run]:
    """The days grouped into runs of consecutive days with the same name."""
    grouped: list[Run] = []
    for day in sorted(days, key=lambda d: d.day):
        last = grouped[-1] if grouped else None
        if last and last.name == day.name and day.day - last.last == dt.timedelta(days=1):
            grouped[-1] = Run(last.name, last.first, day.day)
        else:
            grouped.append(Run(day.name, day.day, day.day))
    return grouped


def _weekday(day: dt.date) -> str:
    return f"{day.isoformat()}（星期{WEEKDAYS[day.weekday()]}）"


class AdminCalendarPagesController(Controller):
    """/admin/calendar: 系统管理 — 放假安排."""

    response_headers = PAGE_HEADERS

    @get("/admin/calendar")
    async def calendar(
        self,
        request: Request[Any, Any, Any],
        session: NamedDependency[Session | None],
        tokens: NamedDependency[TokenMinter],
        year: Annotated[int | None, QueryParameter(ge=FIRST_YEAR, le=LAST_YEAR)] = None,
        notice: FromQuery[str | None] = None,
    ) -> Response[Any]:
        if session is None or session.role != "admin":
            return _away(session)
        shown = await calendar_client(request, tokens, session).year(year or today().year)
        reminder = await calendar_reminder(request, tokens, session)
        return _render(request, session, shown, values=_typed_back(shown), loaded=notice == "loaded", reminder=reminder)

    @post("/admin/calendar")
    async def load(
        self,
        request: Request[Any, Any, Any],
        session: NamedDependency[Session | None],
        tokens: NamedDependency[TokenMinter],
        year: Annotated[int, QueryParameter(ge=FIRST_YEAR, le=LAST_YEAR)],
    ) -> Response[Any]:
        if session is None or session.role != "admin":
            return _away(session)
        form = await request.form()
        values = {name: str(form.get(name) or "").strip() for name in NOTICE_FIELDS}
        client = calendar_client(request, tokens, session)
        try:
            check_form(request, {FORM_FIELD: str(form.get(FORM_FIELD) or "")}, session)
            await client.load(year, _notice(values))
        except DomainError as error:
            errors = notice_errors(error)
            message = FIX_MARKED_FIELDS if errors else error.message
            shown = await client.year(year)
            reminder = await calendar_reminder(request, tokens, session)
            return _render(
                request, session, shown, refusal=error, error=message, errors=errors, values=values, reminder=reminder
            )
        return Redirect(f"/admin/calendar?year={year}&notice=loaded", status_code=303)


def _away(session: Session | None) -> Response[Any]:
    """Not signed in: to 登录; signed in as anyone but the administrator: to the home page."""
    return Redirect("/login" if session is None else "/", status_code=303)


def _typed_back(year: CalendarYear) -> dict[str, str]:
    """The loaded notice as the form's lines, to correct and load again."""
    return {
        "source": (year.source or "") if year.loaded_by != MIGRATION_LOADER else "",
        "rest_days": "\n".join(run.line for run in runs(year.rest_days)),
        "work_days": "\n".join(run.line for run in runs(year.work_days)),
    }


def _years(shown: int) -> list[int]:
    listed = range(PICKER_FIRST_YEAR, today().year + 2)
    return sorted({*listed, shown}, reverse=True)


def _render(
    request: Request[Any, Any, Any],
    session: Session,
    year: CalendarYear,
    *,
    refusal: DomainError | None = None,
    loaded: bool = False,
    **context: Any,
) -> Response[Any]:
    """The year's calendar and the 载入 form; after a ``refusal``, its status, with the message
    (``error``) and the fields' ``errors`` in ``context``."""
    days = len(year.rest_days) + len(year.work_days)
    return page(
        request,
        "admin_calendar.html",
        session=session,
        status=refusal.status_code if refusal else 200,
        headers=refusal.headers if refusal else None,
        year=year,
        years=_years(year.year),
        seeded=year.loaded_by == MIGRATION_LOADER,
        rest_runs=runs(year.rest_days),
        work_days=[(_weekday(d.day), d.name) for d in year.work_days],
        rest_count=len(year.rest_days),
        notice=(
            f"已载入{year.year}年放假安排，共 {days} 天（休息日 {len(year.rest_days)} 天，调休上班 "
            f"{len(year.work_days)} 天）；办理中工作的法定期限已按新日历重新计算"
            if loaded and year.loaded
            else None
        ),
        labels=NOTICE_FIELDS,
        **{"errors": {}, **context},
    )
