"""IdentitySettings: the variables only identity reads (login lockout), on top of the kernel's."""

from __future__ import annotations

from services.kernel import BaseSettings


class IdentitySettings(BaseSettings, kw_only=True, frozen=True):
    """``LOGIN_MAX_FAILURES`` wrong passwords in a row lock an account for ``LOGIN_LOCK_MINUTES``."""

    service_name: str = "identity"
    login_max_failures: int = 5
    login_lock_minutes: int = 15
