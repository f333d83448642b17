"""The internal identity token the gateway adds to every upstream call, minted from the session.

A token lives ``TOKEN_TTL_SECONDS`` (300 s) at the services; the gateway reuses one per session
for ``TOKEN_REUSE_SECONDS`` (60 s) so it does not sign on every request, which leaves every
forwarded token at least four minutes of life. A client never supplies this token: the proxy
strips any ``x-internal-token`` it sends.
"""

from __future__ import annotations

import time

from contracts.auth import Caller
from services.kernel import TokenSigner

__all__ = ["SYSTEM_CALLER", "TokenMinter"]

SYSTEM_CALLER = Caller(account_id="gateway", role="system")
"""Who the gateway is when it acts for an anonymous visitor (注册, 账户登录)."""

_SYSTEM_KEY = "\x00system"


class TokenMinter:
    """Signs and caches the internal token per session key (and one for the system caller)."""

    def __init__(self, signer: TokenSigner, *, reuse_seconds: float = 60.0, max_entries: int = 50_000) -> None:
        self._signer = signer
        self._reuse = reuse_seconds
        self._max = max_entries
        self._cache: dict[str, tuple[float, str]] = {}

    def for_caller(self, key: str, caller: Caller, *, now: float | None = None) -> str:
        """The token for ``caller``, cached under ``key`` (the session key) for the reuse period."""
        moment = time.time() if now is None else now
        cached = self._cache.get(key)
        if cached is not None and moment - cached[0] < self._reuse:
            return cached[1]
        token = self._signer.sign(caller, now=moment)
        if len(self._cache) >= self._max:
            self._drop_stale(moment)
        self._cache[key] = (moment, token)
        return token

    def for_system(self, *, now: float | None = None) -> str:
        return self.for_caller(_SYSTEM_KEY, SYSTEM_CALLER, now=now)

    def forget(self, key: str) -> None:
        """Drop the cached token of a session that ended (logout, revocation)."""
        self._cache.pop(key, None)

    def _drop_stale(self, now: float) -> None:
        stale = [key for key, (minted, _) in self._cache.items() if now - minted >= self._reuse]
        for key in stale:
            del self._cache[key]
        if len(self._cache) >= self._max:  # all fresh: start over rather than grow without bound
            self._cache.clear()
