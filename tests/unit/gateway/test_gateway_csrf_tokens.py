"""CSRF tokens: bound to the session or to the anonymous nonce, keyed by the gateway's secret."""

from __future__ import annotations

import pytest

from gateway.csrf import CsrfError, CsrfGuard
from gateway.settings import GatewaySettings
from services.kernel import SettingsError

GUARD = CsrfGuard(b"k" * 32)
SESSION = "ab" * 32


def test_a_session_token_passes_only_for_its_session() -> None:
    token = GUARD.token_for(session_key=SESSION, nonce=None)

    GUARD.check(token, session_key=SESSION, nonce=None)
    with pytest.raises(CsrfError):
        GUARD.check(token, session_key="cd" * 32, nonce=None)


def test_an_anonymous_token_passes_only_with_its_nonce_cookie() -> None:
    nonce = GUARD.new_nonce()
    token = GUARD.token_for(session_key=None, nonce=nonce)

    GUARD.check(token, session_key=None, nonce=nonce)
    with pytest.raises(CsrfError):
        GUARD.check(token, session_key=None, nonce=GUARD.new_nonce())
    with pytest.raises(CsrfError):
        GUARD.check(token, session_key=None, nonce=None)


def test_an_anonymous_token_is_not_a_session_token() -> None:
    nonce = GUARD.new_nonce()
    anonymous = GUARD.token_for(session_key=None, nonce=nonce)

    with pytest.raises(CsrfError):
        GUARD.check(anonymous, session_key=SESSION, nonce=nonce)


@pytest.mark.parametrize("token", [None, "", "x", "é" * 64])
def test_missing_or_malformed_tokens_fail_with_the_portal_message(token: str | None) -> None:
    with pytest.raises(CsrfError) as refused:
        GUARD.check(token, session_key=SESSION, nonce=None)

    assert refused.value.status_code == 403
    assert refused.value.code == "csrf_failed"
    assert refused.value.message == "页面已过期或请求来源无效，请刷新页面后重试"


def test_another_secret_makes_other_tokens() -> None:
    other = CsrfGuard(b"z" * 32)

    assert other.token_for(session_key=SESSION, nonce=None) != GUARD.token_for(session_key=SESSION, nonce=None)


def test_a_production_gateway_needs_a_secret() -> None:
    with pytest.raises(SettingsError, match="CSRF_SECRET"):
        CsrfGuard.from_settings(GatewaySettings(embedded=False))
    assert CsrfGuard.from_settings(GatewaySettings(embedded=False, csrf_secret="s3cret"))
