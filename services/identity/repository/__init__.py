"""SQL of identity: units, accounts, authority accounts and the audits; unique constraints decide every race."""

from __future__ import annotations

from .accounts import Accounts, Credentials, parse_id
from .audit import AccountAudit, LoginAudit
from .authorities import AuthorityAccounts
from .units import Units

__all__ = ["AccountAudit", "Accounts", "AuthorityAccounts", "Credentials", "LoginAudit", "Units", "parse_id"]
