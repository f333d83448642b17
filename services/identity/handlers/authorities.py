"""系统管理: authority accounts (主管部门账户) created, listed and disabled; the administrator ensured.

The HTTP API (admin only) and the command line call these same functions; ``actor`` is who acts,
written to the account audit: the administrator's account id, or ``cli``.
"""

from __future__ import annotations

import logging

from contracts.identity import api
from services.kernel import UnitOfWork

from .. import errors, model, passwords, repository

__all__ = ["create_authority_account", "disable_authority_account", "ensure_admin", "list_authority_accounts"]

logger = logging.getLogger(__name__)


async def create_authority_account(
    request: api.AuthorityAccountCreate, uow: UnitOfWork, *, actor: str
) -> api.AuthorityAccount:
    """新建主管部门账户: 201 with the account, or a refusal with nothing written (409 for a taken username)."""
    model.check_authority_account(request)
    account = model.authority_account(request, password_hash=await passwords.hash_password(request.password))
    async with uow:
        created_at = await repository.Accounts(uow.conn).add(account)
        if created_at is None:
            raise errors.UsernameTakenError()
        await repository.AccountAudit(uow.conn).record(account.id, action="created", actor=actor)
        await uow.commit()
    logger.info("authority account %s (%s) created by %s", account.username, account.jurisdiction, actor)
    return api.AuthorityAccount(
        account_id=str(account.id),
        username=account.username,
        role="authority",
        org_name=account.org_name,
        jurisdiction=account.jurisdiction,
        roles=list(account.roles),
        created_at=created_at.isoformat(),
    )


async def list_authority_accounts(uow: UnitOfWork, *, page: int, page_size: int) -> api.AuthorityAccountPage:
    """The authority and administrator accounts, newest first, one page."""
    async with uow.reading() as conn:
        return await repository.AuthorityAccounts(conn).page(page=page, page_size=page_size)


async def disable_authority_account(account_id: str, uow: UnitOfWork, *, actor: str) -> api.AuthorityAccount:
    """停用: the account can no longer log in. Idempotent: disabling it again changes (and audits) nothing.
    404 for an id that names no authority account (the administrator's own included)."""
    wanted = repository.parse_id(account_id)
    if wanted is None:
        raise errors.AccountNotFoundError()
    async with uow:
        accounts = repository.AuthorityAccounts(uow.conn)
        disabled = await accounts.disable(wanted)
        if disabled is not None:
            await repository.AccountAudit(uow.conn).record(wanted, action="disabled", actor=actor)
        found = disabled or await accounts.get(wanted)
        if found is None:
            raise errors.AccountNotFoundError()
        await uow.commit()
    return found


async def ensure_admin(password: str, uow: UnitOfWork) -> bool:
    """Create the administrator ``admin`` (自然资源部, 000000) unless an account of that name exists;
    an existing one is never changed. True when this call created it."""
    async with uow.reading() as conn:
        if await repository.AuthorityAccounts(conn).username_exists(model.ADMIN_USERNAME):
            return False
    admin = model.administrator(password_hash=await passwords.hash_password(password))
    async with uow:
        if await repository.Accounts(uow.conn).add(admin) is None:
            return False  # created meanwhile by another start
        await repository.AccountAudit(uow.conn).record(admin.id, action="created", actor="cli")
        await uow.commit()
    return True
