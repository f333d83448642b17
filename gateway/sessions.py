"""Server-side sessions in the gateway's PostgreSQL database, and the session cookie.

The cookie carries a random 32-byte id; the table keeps only its SHA-256, so a leaked table
row cannot be replayed. A session is created (rotated) at login, deleting any pre-login
session; it ends at logout, after ``SESSION_IDLE_SECONDS`` without a request (the idle clock
ticks in steps of ``SESSION_TOUCH_SECONDS``), at the absolute limit ``SESSION_ABSOLUTE_SECONDS``,
or when ``revoke_sessions_of(account_id)`` is called (e.g. a USB-Key reported lost).

A unit's name is kept current in its live sessions: when identity applies an approved 基本信息变更
(or 新单位注册) it emits ``UnitVerified``, which the gateway consumes (``unit_verified``, through the
kernel's inbox) to rename the unit in every session of it, so the header and the headings show the
name on record without a new sign-in (manual 5.3: 经批准后系统自动更新).

Each worker reuses a looked-up session for at most ``SESSION_CACHE_SECONDS`` (2 s) to keep the
proxy's hot path off the database. Logout and revocation drop the entry in the worker that
performs them at once; other workers and replicas notice within that bound.
"""

from __future__ import annotations

import hashlib
import re
import secrets
import time
from typing import Any

import asyncpg
import msgspec
from litestar.datastructures import Cookie

from contracts.auth import AuthorityRole, Caller, Role
from contracts.identity.api import LoginResult
from contracts.identity.events import UnitVerified
from services.kernel import TokenMinter, UnitOfWork
from services.kernel.inbox import Subscription
from services.kernel.registry import audience_for

from .settings import GatewaySettings

__all__ = ["Session", "SessionStore", "is_https", "make_cookie", "session_key", "session_token"]

_COOKIE_VALUE = re.compile(r"^[A-Za-z0-9_-]{43}$")  # token_urlsafe(32)
_PURGE_EVERY_SECONDS = 300.0

_SELECT = """
SELECT account_id, role, username, unit_id, unit_name, jurisdiction, roles, org_name,
       last_seen_at < now() - make_interval(secs => $3) AS stale
FROM sessions
WHERE id_hash = $1 AND expires_at > now() AND last_seen_at > now() - make_interval(secs => $2)"""
_TOUCH = "UPDATE sessions SET last_seen_at = now() WHERE id_hash = $1"
_INSERT = """
INSERT INTO sessions (id_hash, account_id, role, username, unit_id, unit_name, jurisdiction, roles, org_name,
                      expires_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, now() + make_interval(secs => $10))"""
_DELETE = "DELETE FROM sessions WHERE id_hash = $1"
_DELETE_OF_ACCOUNT = "DELETE FROM sessions WHERE account_id = $1 RETURNING id_hash"
_RENAME_UNIT = """
UPDATE sessions SET unit_name = $2 WHERE unit_id = $1 AND unit_name IS DISTINCT FROM $2 RETURNING id_hash"""
_PURGE = """
DELETE FROM sessions WHERE expires_at <= now() OR last_seen_at <= now() - make_interval(secs => $1)"""


class Session(msgspec.Struct, frozen=True, kw_only=True):
    """A signed-in visitor: who they are, as identity reported at login (登录)."""

    key: str
    """SHA-256 (hex) of the cookie's id: the table's key, never the id itself."""
    account_id: str
    role: Role
    username: str
    unit_id: str | None = None
    unit_name: str | None = None
    jurisdiction: str | None = None
    roles: tuple[AuthorityRole, ...] = ()
    """An authority's 受理 / 审查 / 审批 roles."""
    org_name: str | None = None
    """An authority's 机关名称."""

    @property
    def caller(self) -> Caller:
        return Caller(
            account_id=self.account_id,
            role=self.role,
            unit_id=self.unit_id,
            jurisdiction=self.jurisdiction,
            username=self.username,
            session_id=self.key[:16],
            roles=self.roles,
            org_name=self.org_name,
        )


def session_token(minter: TokenMinter, session: Session, service: str) -> str:
    """The signed-in visitor's internal token for a call to ``service`` (reused for a moment)."""
    return minter.token(session.key, session.caller, audience=audience_for(service))


def session_key(cookie_value: str) -> str:
    return hashlib.sha256(cookie_value.encode()).hexdigest()


class SessionStore:
    """Create, look up (cached ≤ ``SESSION_CACHE_SECONDS``), end and revoke sessions."""

    def __init__(self, settings: GatewaySettings) -> None:
        self._settings = settings
        self._pool: asyncpg.Pool[Any] | None = None
        self._cache: dict[str, tuple[float, Session]] = {}
        self._last_purge = 0.0

    def bind(self, pool: asyncpg.Pool[Any] | None) -> None:
        """Attach the pool the runtime opened (called in the lifespan, after migrations)."""
        self._pool = pool

    async def lookup(self, cookie_value: str | None) -> Session | None:
        """The live session for a cookie value, or None (absent, malformed, ended or expired)."""
        if not cookie_value or not _COOKIE_VALUE.match(cookie_value):
            return None
        key = session_key(cookie_value)
        now = time.monotonic()
        cached = self._cache.get(key)
        if cached is not None and now - cached[0] < self._settings.session_cache_seconds:
            return cached[1]
        session = await self._fetch(key)
        if session is None:
            self._cache.pop(key, None)
        else:
            self._remember(key, now, session)
        return session

    async def login(self, result: LoginResult, *, previous: str | None) -> str:
        """Start a session for ``result`` (deleting the ``previous`` one); return the new cookie value."""
        cookie_value = secrets.token_urlsafe(32)
        pool = self._require_pool()
        async with pool.acquire() as conn, conn.transaction():
            if previous and _COOKIE_VALUE.match(previous):
                await conn.execute(_DELETE, _digest(session_key(previous)))
                self._cache.pop(session_key(previous), None)
            await conn.execute(
                _INSERT,
                _digest(session_key(cookie_value)),
                result.account_id,
                result.role,
                result.username,
                result.unit_id,
                result.unit_name,
                result.jurisdiction,
                list(result.roles),
                result.org_name,
                float(self._settings.session_absolute_seconds),
            )
        await self._purge_expired()
        return cookie_value

    async def logout(self, cookie_value: str | None) -> str | None:
        """End the cookie's session at once; return its key (to drop derived caches)."""
        if not cookie_value or not _COOKIE_VALUE.match(cookie_value):
            return None
        key = session_key(cookie_value)
        self._cache.pop(key, None)
        await self._require_pool().execute(_DELETE, _digest(key))
        return key

    async def revoke_sessions_of(self, account_id: str) -> int:
        """End every session of an account (e.g. its USB-Key was reported lost); return how many."""
        rows = await self._require_pool().fetch(_DELETE_OF_ACCOUNT, account_id)
        for row in rows:
            self._cache.pop(bytes(row["id_hash"]).hex(), None)
        return len(rows)

    def subscriptions(self) -> list[Subscription]:
        """What the gateway consumes: identity's ``UnitVerified`` (the unit's name on record)."""
        return [Subscription(UnitVerified, self.unit_verified, name="units-verified")]

    async def unit_verified(self, event: UnitVerified, uow: UnitOfWork) -> None:
        """单位已核实 / 基本信息变更 applied: every live session of the unit carries its new name.

        The rows change with the inbox row (a redelivery changes nothing); this worker's cached
        sessions are renamed at once, other workers and replicas read the row within
        ``SESSION_CACHE_SECONDS``.
        """
        async with uow:
            rows = await uow.conn.fetch(_RENAME_UNIT, event.unit_id, event.unit_name)
            await uow.commit()
        for row in rows:
            key = bytes(row["id_hash"]).hex()
            cached = self._cache.get(key)
            if cached is not None:
                self._cache[key] = (cached[0], msgspec.structs.replace(cached[1], unit_name=event.unit_name))

    async def _fetch(self, key: str) -> Session | None:
        pool = self._require_pool()
        settings = self._settings
        row = await pool.fetchrow(
            _SELECT,
            _digest(key),
            float(settings.session_idle_seconds),
            float(settings.session_touch_seconds),
        )
        if row is None:
            return None
        if row["stale"]:
            await pool.execute(_TOUCH, _digest(key))
        return Session(
            key=key,
            account_id=row["account_id"],
            role=row["role"],
            username=row["username"],
            unit_id=row["unit_id"],
            unit_name=row["unit_name"],
            jurisdiction=row["jurisdiction"],
            roles=tuple(row["roles"]),
            org_name=row["org_name"],
        )

    def _remember(self, key: str, now: float, session: Session) -> None:
        if len(self._cache) >= 50_000:
            limit = self._settings.session_cache_seconds
            self._cache = {k: v for k, v in self._cache.items() if now - v[0] < limit}
        self._cache[key] = (now, session)

    async def _purge_expired(self) -> None:
        now = time.monotonic()
        if now - self._last_purge < _PURGE_EVERY_SECONDS:
            return
        self._last_purge = now
        await self._require_pool().execute(_PURGE, float(self._settings.session_idle_seconds))

    def _require_pool(self) -> asyncpg.Pool[Any]:
        if self._pool is None:
            raise RuntimeError("the session store has no database pool yet")
        return self._pool


def _digest(key: str) -> bytes:
    return bytes.fromhex(key)


def is_https(scope: Any, settings: GatewaySettings) -> bool:
    """Whether cookies must be Secure: HTTPS seen directly, by a trusted proxy, or forced by settings."""
    if settings.cookie_secure or scope.get("scheme") == "https":
        return True
    if not settings.trust_forwarded:
        return False
    for name, value in scope.get("headers", ()):
        if name == b"x-forwarded-proto":
            return value.split(b",")[0].strip().lower() == b"https"
    return False


def make_cookie(name: str, value: str, *, secure: bool, delete: bool = False) -> Cookie:
    """An HttpOnly, SameSite=Lax cookie for the whole site (a browser-session cookie)."""
    return Cookie(
        key=name,
        value=value,
        path="/",
        httponly=True,
        samesite="lax",
        secure=secure,
        max_age=0 if delete else None,
        expires=0 if delete else None,
    )
