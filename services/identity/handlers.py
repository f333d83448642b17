"""Identity's use cases, one function each: register, login_with_password, get_me, get_account."""

from __future__ import annotations

import msgspec

from contracts.auth import Caller
from contracts.identity import api
from services.kernel import UnitOfWork, may_act_in, province_of_credit_code

from . import errors, model, passwords, repository

__all__ = ["get_account", "get_me", "login_with_password", "register"]

_READERS_OF_ANY_ACCOUNT = ("authority", "admin")


async def register(request: api.RegisterRequest, uow: UnitOfWork) -> api.Account:
    """注册 (manual 3.3): a unit and its first account, or a refusal with nothing written."""
    model.check_registration(request)
    registration = model.register(request, password_hash=await passwords.hash_password(request.password))
    async with uow:
        units = repository.Units(uow.conn)
        if not await units.add(registration.unit):
            if await units.name_taken(registration.unit.name_key):
                raise errors.UnitNameTakenError()
            raise errors.CreditCodeTakenError()
        created_at = await repository.Accounts(uow.conn).add(registration.account)
        if created_at is None:
            raise errors.UsernameTakenError()
        uow.emit(registration.event)
        await uow.commit()
    return registration.as_account(created_at)


async def login_with_password(
    request: api.PasswordLogin, uow: UnitOfWork, *, lockout: model.Lockout
) -> api.LoginResult:
    """账户登录 (manual 3.1): the account, or 401 (unknown user and wrong password alike) / 423 locked.

    Read, verify the password outside any transaction (argon2 takes tens of milliseconds), then
    record the attempt in a second transaction whose conditional UPDATE re-checks the lock.
    """
    async with uow:
        found = await repository.Accounts(uow.conn).credentials(request.username)
    locked = found is not None and found.lock_minutes_left > 0
    password_ok = not locked and await passwords.verify_password(
        found.password_hash if found else None, request.password
    )
    async with uow:
        reason, minutes = await _settle(repository.Accounts(uow.conn), found, password_ok, lockout)
        account_id = found.account_id if found else None
        audit = repository.LoginAudit(uow.conn)
        await audit.record(account_id, username=request.username, client_ip=request.client_ip, reason=reason)
        await uow.commit()
    return _result_or_refusal(found, reason, minutes, lockout)


async def _settle(
    accounts: repository.Accounts,
    found: repository.Credentials | None,
    password_ok: bool,
    lockout: model.Lockout,
) -> tuple[model.LoginReason, int]:
    """Record the attempt on the account row (atomically) and say how it ended."""
    if found is None:
        return model.LoginReason.UNKNOWN_USERNAME, 0
    if found.lock_minutes_left > 0:
        return model.LoginReason.LOCKED, found.lock_minutes_left
    if password_ok:
        if await accounts.record_success(found.account_id):
            return model.LoginReason.OK, 0
    else:
        locked_now = await accounts.record_failure(found.account_id, lockout)
        if locked_now is True:
            return model.LoginReason.LOCKED_NOW, lockout.minutes
        if locked_now is False:
            return model.LoginReason.WRONG_PASSWORD, 0
    # A concurrent attempt locked the account between our read and this write.
    return model.LoginReason.LOCKED, await accounts.lock_minutes_left(found.account_id)


def _result_or_refusal(
    found: repository.Credentials | None, reason: model.LoginReason, minutes: int, lockout: model.Lockout
) -> api.LoginResult:
    if reason is model.LoginReason.OK and found is not None:
        return found.result
    if reason is model.LoginReason.LOCKED_NOW:
        raise errors.AccountLockedError(minutes, just_locked=True, max_failures=lockout.max_failures)
    if reason is model.LoginReason.LOCKED:
        raise errors.AccountLockedError(max(minutes, 1))
    raise errors.BadCredentialsError()


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
