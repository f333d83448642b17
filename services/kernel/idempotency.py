"""Idempotent writes: a retry with the same ``Idempotency-Key`` from the same caller gets the
first response again and has no second effect.

An ASGI middleware installed after auth (the caller is the verified ``Caller.account_id``).
For POST, PUT, PATCH and DELETE carrying the header:

1. The key is claimed in ``idempotency_keys(caller, key)`` (autocommit) together with a hash of
   method, path, query and body. If the row is already there:
   - a different request under the same key → 422 ``idempotency_key_reused``;
   - a stored response → replayed, with the header ``Idempotent-Replayed: true``;
   - a request still in flight → 409 ``idempotency_in_progress``. Its claim is taken over only
     after ``lease`` seconds without a committed effect (the first process died);
   - an effect committed but no response stored (a crash in between) → 409
     ``idempotency_outcome_unknown``, never a second run.
2. The request runs. Every ``UnitOfWork`` committing during it marks the claim in its own
   transaction and fails with 409 if the claim was taken over, so two runs never both commit.
3. The response is stored before it is sent, unless it is 5xx: then the claim is released (if
   nothing committed) and a retry runs again.

No schema change: ``status_code`` is NULL in flight and 0 once an effect committed without a
stored response; ``created_at`` identifies the claim (a takeover renews it); ``headers`` holds
the request's fingerprint and the stored response's headers.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import asyncpg
import msgspec
from litestar.types import ASGIApp, Receive, Scope, Send

from contracts.errors import ErrorBody

from .db import Connection
from .errors import ConflictError, is_outage

__all__ = ["MAX_BODY_BYTES", "MAX_KEY_LENGTH", "idempotency_middleware", "mark_committed"]

logger = logging.getLogger(__name__)
MAX_KEY_LENGTH = 200
MAX_BODY_BYTES = 4 << 20
"""The largest body a keyed write may have: it is held in memory to fingerprint and replay it
(the largest the platform takes is one 2 MB document in its multipart envelope)."""
_HEADER = b"idempotency-key"
_WRITES = frozenset({"POST", "PUT", "PATCH", "DELETE"})
_NOT_STORED = frozenset({"content-length", "date", "server", "set-cookie"})
_encoder = msgspec.json.Encoder()
_CLAIM = """
INSERT INTO idempotency_keys (caller, key, method, path, headers) VALUES ($1, $2, $3, $4, $5)
ON CONFLICT (caller, key) DO UPDATE
    SET method = EXCLUDED.method, path = EXCLUDED.path, headers = EXCLUDED.headers, created_at = now()
    WHERE idempotency_keys.status_code IS NULL
      AND idempotency_keys.created_at < now() - make_interval(secs => $6)
RETURNING created_at
"""
_EXISTING = "SELECT status_code, headers, body FROM idempotency_keys WHERE caller = $1 AND key = $2"
_STORE = """
UPDATE idempotency_keys SET status_code = $4, headers = $5, body = $6
WHERE caller = $1 AND key = $2 AND created_at = $3
"""
_RELEASE = """
DELETE FROM idempotency_keys WHERE caller = $1 AND key = $2 AND created_at = $3 AND status_code IS NULL
"""
_MARK = """
UPDATE idempotency_keys SET status_code = 0
WHERE caller = $1 AND key = $2 AND created_at = $3 AND (status_code IS NULL OR status_code = 0)
"""


@dataclass
class _Claim:
    caller: str
    key: str
    fingerprint: str
    token: datetime | None = None


_current: ContextVar[_Claim | None] = ContextVar("idempotency_claim", default=None)


async def mark_committed(conn: Connection) -> None:
    """Inside a UnitOfWork's transaction: record that the current idempotent request committed."""
    claim = _current.get()
    if claim is None:
        return
    if await conn.execute(_MARK, claim.caller, claim.key, claim.token) != "UPDATE 1":
        raise ConflictError("该请求已由重试接管处理，本次提交已撤销", code="idempotency_claim_lost")


def _refusal(status: int, code: str, message: str) -> tuple[int, list[list[str]], bytes]:
    return status, [["content-type", "application/json"]], _encoder.encode(ErrorBody(code=code, message=message))


async def _respond(send: Any, status: int, headers: list[list[str]], body: bytes, *, replayed: bool) -> None:
    raw = [(name.encode("latin-1"), value.encode("latin-1")) for name, value in headers]
    raw.append((b"content-length", str(len(body)).encode()))
    if replayed:
        raw.append((b"idempotent-replayed", b"true"))
    await send({"type": "http.response.start", "status": status, "headers": raw})
    await send({"type": "http.response.body", "body": body, "more_body": False})


async def _read_body(receive: Receive) -> bytes | None:
    """The whole body (it is fingerprinted and handed to the app again), or None past the limit."""
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            return None
        chunks.append(chunk)
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


def _fingerprint(scope: Any, body: bytes) -> str:
    digest = hashlib.sha256()
    for part in (scope["method"].encode(), scope["path"].encode(), scope.get("query_string", b""), body):
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)
    return digest.hexdigest()


class _Idempotent:
    def __init__(self, app: ASGIApp, pool: Callable[[], asyncpg.Pool[Any] | None], lease: float) -> None:
        self.app = app
        self.pool = pool
        self.lease = lease

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        key = self._key(scope)
        caller = getattr(scope.get("state", {}).get("caller"), "account_id", None)
        pool = self.pool()
        if key is None or caller is None or pool is None:
            await self.app(scope, receive, send)
            return
        if not 0 < len(key) <= MAX_KEY_LENGTH:
            refusal = _refusal(
                400, "invalid_idempotency_key", f"幂等键（Idempotency-Key）长度须为 1 至 {MAX_KEY_LENGTH} 个字符"
            )
            await _respond(send, *refusal, replayed=False)
            return
        body = await _read_body(receive)
        if body is None:
            limit = f"{MAX_BODY_BYTES >> 20}MB"
            refusal = _refusal(413, "payload_too_large", f"带幂等键（Idempotency-Key）的请求内容不能超过{limit}")
            await _respond(send, *refusal, replayed=False)
            return
        claim = _Claim(caller=str(caller), key=key, fingerprint=_fingerprint(scope, body))
        answer = await self._claim(pool, claim, scope)
        if answer is not None:
            await _respond(send, *answer[0], replayed=answer[1])
            return
        await self._run(pool, claim, scope, body, send)

    @staticmethod
    def _key(scope: Any) -> str | None:
        if scope["type"] != "http" or scope["method"] not in _WRITES:
            return None
        return next((v.decode("latin-1") for k, v in scope.get("headers", []) if k == _HEADER), None)

    async def _claim(
        self, pool: asyncpg.Pool[Any], claim: _Claim, scope: Any
    ) -> tuple[tuple[int, list[list[str]], bytes], bool] | None:
        """``None`` when the key is ours to run; otherwise (response, replayed) to send."""
        busy = _refusal(409, "idempotency_in_progress", "相同的请求正在处理中，请稍后再试")
        for _ in range(3):  # the row may vanish between the two statements (a 5xx released it)
            meta = {"request": claim.fingerprint}
            args = (claim.caller, claim.key, scope["method"], scope["path"], meta, self.lease)
            claim.token = await pool.fetchval(_CLAIM, *args)
            if claim.token is not None:
                return None
            row = await pool.fetchrow(_EXISTING, claim.caller, claim.key)
            if row is None:
                continue
            stored = row["headers"] or {}
            if stored.get("request") != claim.fingerprint:
                return _refusal(422, "idempotency_key_reused", "该幂等键已用于另一个请求，请使用新的幂等键"), False
            if row["status_code"] is None:
                return busy, False
            if row["status_code"] == 0:
                message = "该请求已处理，但处理结果未能保存，请刷新后查看"
                return _refusal(409, "idempotency_outcome_unknown", message), False
            return (row["status_code"], stored.get("response", []), bytes(row["body"] or b"")), True
        return busy, False

    async def _run(self, pool: asyncpg.Pool[Any], claim: _Claim, scope: Any, body: bytes, send: Any) -> None:
        start: dict[str, Any] = {}
        chunks: list[bytes] = []
        delivered = finished = False

        async def replay_body() -> Any:
            nonlocal delivered
            if delivered:
                return {"type": "http.disconnect"}
            delivered = True
            return {"type": "http.request", "body": body, "more_body": False}

        async def capture(message: Any) -> None:
            if message["type"] == "http.response.start":
                start.update(message)
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
                if not message.get("more_body", False):
                    nonlocal finished
                    finished = True
                    await self._finish(pool, claim, start, b"".join(chunks), send)
            else:
                await send(message)

        token = _current.set(claim)
        try:
            await self.app(scope, replay_body, capture)
        except BaseException:
            if not finished:
                await self._settle(pool, _RELEASE, claim)
            raise
        finally:
            _current.reset(token)

    async def _finish(
        self, pool: asyncpg.Pool[Any], claim: _Claim, start: dict[str, Any], body: bytes, send: Any
    ) -> None:
        status = int(start["status"])
        headers = [
            [name.decode("latin-1"), value.decode("latin-1")]
            for name, value in start.get("headers", [])
            if name.decode("latin-1").lower() not in _NOT_STORED
        ]
        if status >= 500:
            await self._settle(pool, _RELEASE, claim)
        else:
            meta = {"request": claim.fingerprint, "response": headers}
            await self._settle(pool, _STORE, claim, status, meta, body)
        await send(start)
        await send({"type": "http.response.body", "body": body, "more_body": False})

    @staticmethod
    async def _settle(pool: asyncpg.Pool[Any], sql: str, claim: _Claim, *args: Any) -> None:
        try:
            await pool.execute(sql, claim.caller, claim.key, claim.token, *args)
        except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError) as exc:  # the claim's lease covers it
            log = logger.warning if is_outage(exc) else logger.error
            log("idempotency key %r of %s not settled (its lease ends it): %s", claim.key, claim.caller, exc)


def idempotency_middleware(pool: Callable[[], asyncpg.Pool[Any] | None], *, lease: float = 30.0) -> Any:
    """Middleware factory; ``pool`` returns the service's pool (``None`` until started: pass through).

    ``lease``: how long an unsettled claim blocks a retry (the first process died, or the database
    went down before the claim could be released). Short is safe: a run whose claim was taken over
    cannot commit (step 2), so the lease only bounds how long a client waits after an outage.
    """

    def factory(app: ASGIApp) -> ASGIApp:
        return _Idempotent(app, pool, lease)

    return factory
