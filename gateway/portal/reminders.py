"""The administrator's reminder to load a year's 放假安排 (issue 18): shown on 系统管理's pages and
on the administrator's 待办, with a link to load the year; an authority's user never sees it (the
queue warns them only on the works whose deadline a missing year changes)."""

from __future__ import annotations

from typing import Any

from litestar import Request

from contracts.applications.review_api import CalendarReminder
from gateway.sessions import Session, session_token
from services.kernel import DomainError, ServiceClient, TokenMinter

from .clients import CalendarClient

__all__ = ["calendar_client", "calendar_reminder"]


def calendar_client(request: Request[Any, Any, Any], tokens: TokenMinter, session: Session) -> CalendarClient:
    """applications' calendar, with the visitor's own token."""
    services: ServiceClient = request.app.state.runtime.service_client()
    return CalendarClient(services, session_token(tokens, session, "applications"))


async def calendar_reminder(
    request: Request[Any, Any, Any], tokens: TokenMinter, session: Session | None
) -> CalendarReminder | None:
    """The reminder for the administrator, None for anyone else or when nothing is missing. When
    applications cannot answer now the page around it (the accounts, the queue) is served all the
    same, without the reminder: it shows again on the next page."""
    if session is None or session.role != "admin":
        return None
    try:
        reminder = await calendar_client(request, tokens, session).reminder()
    except DomainError:
        return None
    return reminder if reminder.missing_years else None
