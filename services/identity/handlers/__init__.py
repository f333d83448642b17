"""Identity's use cases, one function each; HTTP controllers, the consumers and the CLI call the same ones."""

from __future__ import annotations

from .accounts import get_account, get_me
from .approvals import apply_approval
from .authorities import create_authority_account, disable_authority_account, ensure_admin, list_authority_accounts
from .logins import login_with_password
from .registration import register

__all__ = [
    "apply_approval",
    "create_authority_account",
    "disable_authority_account",
    "ensure_admin",
    "get_account",
    "get_me",
    "list_authority_accounts",
    "login_with_password",
    "register",
]
