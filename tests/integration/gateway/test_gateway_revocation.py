"""Revoking a session reaches every service within five seconds: logout (or revoke_sessions_of)
stops the gateway at once, and the last token it minted dies at the services by its own expiry."""

from __future__ import annotations

import base64
import time
from collections.abc import Callable
from typing import Any

import httpx
import msgspec

from contracts.auth import TokenClaims
from services.kernel import TokenVerifier, UnauthorizedError
from tests.fixtures.waiting import eventually

REVOCATION_BOUND_SECONDS = 5


def claims_of(token: str) -> TokenClaims:
    payload = token.split(".")[0]
    return msgspec.json.decode(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)), type=TokenClaims)


def minted_tokens(gateway: Any) -> list[str]:
    """The internal tokens the gateway minted for its visitors (read from its minter)."""
    return [token for _, token in gateway.app.state.tokens._cache.values()]


async def test_logout_reaches_identity_within_five_seconds(
    launch: Callable[..., Any], identity: Any, unit_a: Any, portal: Callable[..., Any]
) -> None:
    gateway = await launch(identity=identity.url)
    visitor = portal(gateway)
    assert (await visitor.login(unit_a.username, unit_a.password)).status_code == 303
    assert (await visitor.http.get("/api/identity/me")).json()["account_id"] == unit_a.account_id
    [stolen] = [token for token in minted_tokens(gateway) if claims_of(token).caller.account_id == unit_a.account_id]
    csrf = await visitor.session_token()

    assert (await visitor.http.post("/logout", data={"_csrf": csrf})).status_code == 303
    logged_out_at = time.time()

    # The gateway refuses the ended session at once; the token it minted before is replayed straight
    # at identity, as a thief who copied it would. Its own claims bound how long it can work.
    assert (await visitor.http.get("/api/identity/me")).status_code == 401
    claims = claims_of(stolen)
    leeway = identity.app.state.settings.token_leeway_seconds
    assert claims.exp + leeway - logged_out_at <= REVOCATION_BOUND_SECONDS
    assert claims.aud == ("identity",)

    async def refused() -> bool:
        async with httpx.AsyncClient(base_url=identity.url) as http:
            answer = await http.get("/me", headers={"x-internal-token": stolen})
        return answer.status_code == 401 and answer.json()["code"] == "expired_token"

    await eventually(refused, within=REVOCATION_BOUND_SECONDS + 5)


async def test_a_sessions_token_works_only_at_the_service_it_was_minted_for(
    launch: Callable[..., Any], identity: Any, unit_a: Any, portal: Callable[..., Any], settings_for: Any
) -> None:
    gateway = await launch(identity=identity.url)
    visitor = portal(gateway)
    assert (await visitor.login(unit_a.username, unit_a.password)).status_code == 303
    assert (await visitor.http.get("/api/identity/me")).status_code == 200
    [token] = [token for token in minted_tokens(gateway) if claims_of(token).caller.account_id == unit_a.account_id]
    standards = TokenVerifier.from_settings(settings_for(service="standards"))
    try:
        standards.verify(token)
    except UnauthorizedError as refused:
        assert refused.code == "wrong_audience"
    else:
        raise AssertionError("standards accepted a token minted for identity")
