"""The portal's typed calls to the services, on the kernel's one ServiceClient.

An anonymous visitor's call (注册, 账户登录) carries the gateway's own system token; a signed-in
visitor's carries the session's token for that service (``sessions.session_token``). A refusal comes back
as the kernel's DomainError with the service's status, code, message and details, so a page
shows the service's own words.
"""

from __future__ import annotations

from contracts.identity.api import Account, LoginResult, PasswordLogin, RegisterRequest
from services.kernel import ServiceClient

__all__ = ["IdentityClient"]


class IdentityClient:
    """identity: 注册 and 账户登录 for the anonymous visitor (contracts.identity.api)."""

    def __init__(self, client: ServiceClient) -> None:
        self._client = client

    async def register(self, request: RegisterRequest) -> Account:
        return await self._client.call("identity", "POST", "/accounts", response_type=Account, body=request)

    async def login_with_password(self, request: PasswordLogin) -> LoginResult:
        return await self._client.call("identity", "POST", "/logins/password", response_type=LoginResult, body=request)
