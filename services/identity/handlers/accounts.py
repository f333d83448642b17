"""Reading accounts: the caller's own (GET /me) and one by id (owner, or an authority that covers it)."""

from __future__ import annotations

import msgspec

from contracts.auth import Caller
from contracts.identity import api
from services.kernel import UnitOfWork, may_act_in, province_of_credit_code

from .. import errors, repository

__all__ = ["get_account", "get_me"]

_READERS_OF_ANY_ACCOUNT = ("authority", "admin")


async def get_me(caller: Caller, uow: UnitOfWork) -> api.Me:
    """The signed-in caller's own account; 401 when the token names no account."""
    account_id = repository.parse_id(caller.account_id)
    async with uow.reading() as conn:
        account = await repository.Accounts(conn).get(account_id, only=None) if account_id else None
    if account is None:
        raise errors.NoAccountError()
    return api.Me(**msgspec.structs.asdict(account))


async def get_account(account_id: str, caller: Caller, uow: UnitOfWork) -> api.Account:
    """An account as its owner sees it, or an authority whose jurisdiction covers the unit's
    province (the administrator, 自然资源部, covers all); 404 for anyone else, as for no account."""
    wanted = repository.parse_id(account_id)
    reads_any = caller.role in _READERS_OF_ANY_ACCOUNT
    only = None if reads_any else repository.parse_id(caller.account_id)
    if wanted is None or (only is None and not reads_any):
        raise errors.AccountNotFoundError()
    async with uow.reading() as conn:
        account = await repository.Accounts(conn).get(wanted, only=only)
    if account is None or (reads_any and not _within_jurisdiction(caller, account)):
        raise errors.AccountNotFoundError()
    return account


def _within_jurisdiction(caller: Caller, account: api.Account) -> bool:
    if account.credit_code is None:  # an authority's own account: only the administrator reads it
        return caller.role == "admin" or caller.account_id == account.account_id
    try:
        province = province_of_credit_code(account.credit_code)
    except ValueError:  # no province in the code: only 自然资源部 (000000) covers the unit
        province = account.credit_code[2:8]
    return may_act_in(caller, province)
