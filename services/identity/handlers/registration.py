"""注册 (manual 3.3): a unit and its first account."""

from __future__ import annotations

from contracts.identity import api
from services.kernel import UnitOfWork

from .. import errors, model, passwords, repository

__all__ = ["register"]


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
