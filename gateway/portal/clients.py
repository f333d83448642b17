"""The portal's typed calls to the services, on the kernel's one ServiceClient.

An anonymous visitor's call (注册, 账户登录) carries the gateway's own system token; a signed-in
visitor's carries the session's token for that service (``sessions.session_token``). A refusal comes back
as the kernel's DomainError with the service's status, code, message and details, so a page
shows the service's own words.
"""

from __future__ import annotations

from contracts.applications.review_api import CalendarNotice, CalendarReminder, CalendarYear
from contracts.identity.api import Account, LoginResult, PasswordLogin, RegisterRequest
from services.kernel import ServiceClient

__all__ = ["CalendarClient", "IdentityClient"]


class IdentityClient:
    """identity: 注册 and 账户登录 for the anonymous visitor (contracts.identity.api)."""

    def __init__(self, client: ServiceClient) -> None:
        self._client = client

    async def register(self, request: RegisterRequest) -> Account:
        return await self._client.call("identity", "POST", "/accounts", response_type=Account, body=request)

    async def login_with_password(self, request: PasswordLogin) -> LoginResult:
        return await self._client.call("identity", "POST", "/logins/password", response_type=LoginResult, body=request)


class CalendarClient:
    """applications' 工作日历 (GET/PUT /calendar/{year}, GET /calendar/reminder), called with the
    signed-in visitor's token."""

    def __init__(self, client: ServiceClient, token: str) -> None:
        self._client, self._token = client, token

    async def year(self, year: int) -> CalendarYear:
        return await self._call("GET", year, None)

    async def load(self, year: int, notice: CalendarNotice) -> CalendarYear:
        """放假安排: the notice replaces the year (the administrator's token only)."""
        return await self._call("PUT", year, notice)

    async def reminder(self) -> CalendarReminder:
        """The years a deadline counted from today may reach whose 放假安排 is not loaded."""
        return await self._client.call(
            "applications", "GET", "/calendar/reminder", response_type=CalendarReminder, token=self._token
        )

    async def _call(self, method: str, year: int, body: CalendarNotice | None) -> CalendarYear:
        path = f"/calendar/{year}"
        return await self._client.call(
            "applications", method, path, response_type=CalendarYear, body=body, token=self._token
        )
