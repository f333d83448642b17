"""账户登录 (manual 3.1): password login with lockout; a 停用 account is refused."""

from __future__ import annotations

from contracts.identity import api
from services.kernel import UnitOfWork

from .. import errors, model, passwords, repository

__all__ = ["login_with_password"]


async def login_with_password(
    request: api.PasswordLogin, uow: UnitOfWork, *, lockout: model.Lockout
) -> api.LoginResult:
    """账户登录 (manual 3.1): the account, or 401 (unknown user and wrong password alike) / 423 locked /
    403 停用 (said only to someone who knows the password).

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
    if password_ok and found.disabled:
        return model.LoginReason.DISABLED, 0
    if password_ok:
        if await accounts.record_success(found.account_id):
            return model.LoginReason.OK, 0
        if await accounts.lock_minutes_left(found.account_id) == 0:  # disabled between our read and this write
            return model.LoginReason.DISABLED, 0
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
    if reason is model.LoginReason.DISABLED:
        raise errors.AccountDisabledError()
    if reason is model.LoginReason.LOCKED_NOW:
        raise errors.AccountLockedError(minutes, just_locked=True, max_failures=lockout.max_failures)
    if reason is model.LoginReason.LOCKED:
        raise errors.AccountLockedError(max(minutes, 1))
    raise errors.BadCredentialsError()
