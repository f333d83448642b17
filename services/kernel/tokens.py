"""TokenMinter: signs internal tokens and reuses each for a moment, per (key, audience).

The gateway keys them by session (a visitor's calls), the service client by target (a process's
own system calls). A token lives ``TOKEN_TTL_SECONDS`` at the services; it is reused for a third
of that, so every forwarded token still has two thirds of its life left when it arrives.
"""

from __future__ import annotations

import time
from collections.abc import Iterable

from contracts.auth import Caller

from .auth import TokenSigner

__all__ = ["TokenMinter"]


class TokenMinter:
    """Signs and caches tokens under ``(key, audience)``; ``forget(key)`` drops a key's tokens."""

    def __init__(self, signer: TokenSigner, *, reuse_seconds: float, max_entries: int = 50_000) -> None:
        self.signer = signer
        self._reuse = reuse_seconds
        self._max = max_entries
        self._cache: dict[tuple[str, tuple[str, ...]], tuple[float, str]] = {}

    @classmethod
    def for_signer(cls, signer: TokenSigner, ttl_seconds: int) -> TokenMinter:
        return cls(signer, reuse_seconds=ttl_seconds / 3)

    def token(self, key: str, caller: Caller, *, audience: Iterable[str], now: float | None = None) -> str:
        """The token for ``caller`` accepted by ``audience``, cached under ``key`` for the reuse period."""
        moment = time.time() if now is None else now
        slot = (key, tuple(audience))
        cached = self._cache.get(slot)
        if cached is not None and moment - cached[0] < self._reuse:
            return cached[1]
        token = self.signer.sign(caller, audience=slot[1], now=moment)
        if len(self._cache) >= self._max:
            self._drop_stale(moment)
        self._cache[slot] = (moment, token)
        return token

    def forget(self, key: str) -> None:
        """Drop every cached token of ``key`` (a session that ended)."""
        for slot in [slot for slot in self._cache if slot[0] == key]:
            del self._cache[slot]

    def _drop_stale(self, now: float) -> None:
        self._cache = {slot: entry for slot, entry in self._cache.items() if now - entry[0] < self._reuse}
        if len(self._cache) >= self._max:  # all fresh: start over rather than grow without bound
            self._cache.clear()
