"""技术人员 use cases (manual 5.5): 添加, 编辑, 移除, one person for the edit form, and the list.

A person may be saved before its documents exist; it is incomplete, listed with every reason,
and not counted until they are attached (5.5.2). Attached documents are verified before the
writing unit of work opens. The handlers emit PersonAdded / PersonUpdated / PersonRemoved with
the keyed hash of the number (``person_key``), never the number or the name.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import cast

from contracts.auth import Caller
from contracts.documents.api import Purpose
from contracts.staffing import api, events
from services.kernel import ServiceClient, UnitOfWork

from .. import clock, errors
from ..model import completeness
from ..model.person import read_person
from ..protection import Protector
from ..repository.attachments import Attachments
from ..repository.persons import Persons, SealedNumber, StoredPerson
from ..rules import IdNumber, mask_id_number
from . import entries
from .attachments import verified
from .listed_persons import api_problems, judged_problems, listed

__all__ = [
    "add_person",
    "as_api",
    "get_person",
    "list_persons",
    "remove_person",
    "sealed",
    "unit_of",
    "update_person",
]


async def add_person(
    data: api.PersonCreate,
    caller: Caller,
    uow: UnitOfWork,
    *,
    services: ServiceClient,
    protector: Protector,
    caller_token: str,
) -> api.Person:
    """添加: refused with 409 when the person is on a roster already, naming the holding unit."""
    unit_id = unit_of(caller)
    person, number = read_person(data, today=clock.today())
    documents = await _verified(data, unit_id, uow, services, caller_token)
    async with uow:
        stored = await Persons(uow.conn).add(uuid.uuid4(), unit_id, person, sealed(protector, number))
        attached = await Attachments(uow.conn).add(stored.id, documents)
        uow.emit(added(stored))
        await uow.commit()
    return as_api(stored, attached)


async def update_person(
    person_id: str,
    data: api.PersonCreate,
    caller: Caller,
    uow: UnitOfWork,
    *,
    services: ServiceClient,
    protector: Protector,
    caller_token: str,
) -> api.Person:
    """编辑: the whole form again; its documents replace the ones attached before."""
    unit_id, wanted = unit_of(caller), _parse(person_id)
    person, number = read_person(data, today=clock.today())
    documents = await _verified(data, unit_id, uow, services, caller_token)
    async with uow:
        stored = await Persons(uow.conn).update(wanted, unit_id, person, sealed(protector, number))
        if stored is None:
            raise errors.PersonNotFoundError()
        attached = await Attachments(uow.conn).replace(stored.id, documents)
        uow.emit(_updated(stored))
        await uow.commit()
    return as_api(stored, attached)


async def remove_person(person_id: str, caller: Caller, uow: UnitOfWork) -> None:
    """移除: the person leaves the unit's roster (another unit may then add them)."""
    unit_id, wanted = unit_of(caller), _parse(person_id)
    async with uow:
        stored = await Persons(uow.conn).remove(wanted, unit_id)
        if stored is None:
            raise errors.PersonNotFoundError()
        await Attachments(uow.conn).clear([stored.id])
        uow.emit(_removed(stored))
        await uow.commit()


async def get_person(person_id: str, caller: Caller, uow: UnitOfWork, *, protector: Protector) -> api.Person:
    """One person of the caller's unit for its edit form, with the full 证件号码."""
    unit_id, wanted = unit_of(caller), _parse(person_id)
    async with uow.reading() as conn:
        stored = await Persons(conn).get(wanted, unit_id)
        if stored is None:
            raise errors.PersonNotFoundError()
        attached = (await Attachments(conn).of([stored.id])).get(stored.id, [])
    return as_api(stored, attached, id_number=protector.open_text(stored.number.sealed))


async def list_persons(
    caller: Caller,
    uow: UnitOfWork,
    *,
    category: str | None,
    complete: bool | None,
    q: str | None,
    page: int,
    page_size: int,
) -> api.PersonPage:
    """The unit's persons in the order added, masked; ``counted``: all its complete persons.

    Completeness depends on the attachments, and ``counted`` on all the unit's persons whatever
    the filters, so the unit's roster (hundreds at most) is read in one query and filtered here;
    only the page's persons are built."""
    async with uow.reading() as conn:
        rows = await Persons(conn).of_unit(unit_of(caller))
    judge = judged_problems()
    judged = [(row, judge(row)) for row in rows]
    needle = (q or "").strip()
    wanted = [
        (row, problems)
        for row, problems in judged
        if (category is None or row["category"] == category)
        and (complete is None or (not problems) == complete)
        and needle in row["name"]
    ]
    start = (page - 1) * page_size
    return api.PersonPage(
        items=[listed(row, problems) for row, problems in wanted[start : start + page_size]],
        page=page,
        page_size=page_size,
        total=len(wanted),
        counted=sum(not problems for _, problems in judged),
    )


def as_api(
    stored: StoredPerson, attached: Sequence[completeness.Attached], *, id_number: str | None = None
) -> api.Person:
    """The person as the API shows it, with its completeness (manual 5.5.2)."""
    p = stored.person
    problems = completeness.person_problems(
        category=p.category, retired=p.retired, substitute_reason=p.substitute_reason, attached=attached
    )
    return api.Person(
        id=str(stored.id),
        unit_id=stored.unit_id,
        name=p.name,
        id_type=p.id_type,
        id_number_masked=stored.number.masked,
        category=p.category,
        gender=p.gender,
        birth_date=p.birth_date,
        title_level=p.title_level,
        title_name=p.title_name,
        major=p.major,
        education=p.education,
        school=p.school,
        retired=p.retired,
        hired_on=p.hired_on,
        substitute_reason=p.substitute_reason,
        documents=[api.Attachment(purpose=cast(Purpose, a.purpose), document_id=a.document_id) for a in attached],
        source=p.source,
        complete=not problems,
        problems=api_problems(problems),
        created_at=stored.created_at,
        updated_at=stored.updated_at,
        id_number=id_number,
    )


def sealed(protector: Protector, number: IdNumber) -> SealedNumber:
    """The number as stored: sealed, hashed with its 证件类型 (the unique key), masked."""
    return SealedNumber(
        sealed=protector.seal_text(number.number),
        key=protector.identity(number.document_type.value, number.number),
        masked=mask_id_number(number.number),
    )


def unit_of(caller: Caller) -> str:
    """The caller's unit (the controllers' ``unit_scope`` guard lets only unit callers in)."""
    return entries.unit_of(caller, errors.PersonNotFoundError)


def added(stored: StoredPerson) -> events.PersonAdded:
    return events.PersonAdded(
        aggregate_id=str(stored.id),
        unit_id=stored.unit_id,
        person_id=str(stored.id),
        person_key=stored.number.key.hex(),
        category=stored.person.category,
        source=stored.person.source,
    )


def _updated(stored: StoredPerson) -> events.PersonUpdated:
    return events.PersonUpdated(
        aggregate_id=str(stored.id),
        unit_id=stored.unit_id,
        person_id=str(stored.id),
        person_key=stored.number.key.hex(),
        category=stored.person.category,
    )


def _removed(stored: StoredPerson) -> events.PersonRemoved:
    return events.PersonRemoved(
        aggregate_id=str(stored.id),
        unit_id=stored.unit_id,
        person_id=str(stored.id),
        person_key=stored.number.key.hex(),
    )


async def _verified(
    data: api.PersonCreate, unit_id: str, uow: UnitOfWork, services: ServiceClient, token: str
) -> list[tuple[str, uuid.UUID]]:
    return await verified(
        data.documents,
        unit_id=unit_id,
        allowed=completeness.PERSON_PURPOSES,
        what="技术人员",
        uow=uow,
        services=services,
        token=token,
    )


def _parse(person_id: str) -> uuid.UUID:
    return entries.parse_id(person_id, errors.PersonNotFoundError)
