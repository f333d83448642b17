"""argon2id password hashing, run in a worker thread so the event loop never blocks on it."""

from __future__ import annotations

import asyncio
import functools

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

__all__ = ["hash_password", "verify_password"]


@functools.cache
def _hasher() -> PasswordHasher:
    return PasswordHasher()  # argon2id with the library's (RFC 9106 low-memory) defaults


@functools.cache
def _decoy_hash() -> str:
    return _hasher().hash("decoy password for unknown usernames")


async def hash_password(password: str) -> str:
    return await asyncio.to_thread(_hasher().hash, password)


def _verify(password_hash: str | None, password: str) -> bool:
    try:
        # An unknown username still costs one verification, so timing does not reveal it.
        return _hasher().verify(password_hash or _decoy_hash(), password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


async def verify_password(password_hash: str | None, password: str) -> bool:
    """True only when ``password`` matches ``password_hash``; ``None`` (no such account) never matches."""
    return await asyncio.to_thread(_verify, password_hash, password)
