"""测绘业绩 use cases (manual 5.7): 添加, 编辑, 删除, one project for the edit form, and the list.

A project may be saved before its 项目合同 and 验收证明 are attached; it is incomplete, listed
with every reason, and not counted until they are. The 专业类别 must be one of the standard in
force. Attached documents are verified before the writing unit of work opens. ProjectAdded /
ProjectUpdated / ProjectRemoved are emitted.
"""

from __future__ import annotations

import uuid

from contracts.auth import Caller
from contracts.staffing import api
from services.kernel import ServiceClient, UnitOfWork

from .. import clock, errors
from ..model import completeness
from ..model.project import Project, new_project
from ..repository.attachments import Attachments
from ..repository.projects import ProjectRepository
from .attachments import verified
from .entries import attach, now, page_of, parse_id, unit_of
from .vocabulary import Vocabulary

__all__ = ["add_project", "get_project", "list_projects", "remove_project", "update_project"]

_NOT_FOUND = errors.ProjectNotFoundError


async def add_project(
    data: api.ProjectCreate,
    caller: Caller,
    uow: UnitOfWork,
    *,
    services: ServiceClient,
    vocabulary: Vocabulary,
    caller_token: str,
) -> api.Project:
    """添加 a project to the unit's record."""
    unit_id = unit_of(caller, _NOT_FOUND)
    terms = await vocabulary.terms(services)
    project = new_project(data, unit_id=unit_id, categories=terms.categories, on=clock.today(), now=now())
    documents = await _verified(data, unit_id, uow, services, caller_token)
    async with uow:
        await ProjectRepository(uow.conn).add(project)
        attached = await attach(uow, project.id, documents, new=True)
        uow.emit(project.added())
        await uow.commit()
    return project.as_api(attached)


async def update_project(
    project_id: str,
    data: api.ProjectCreate,
    caller: Caller,
    uow: UnitOfWork,
    *,
    services: ServiceClient,
    vocabulary: Vocabulary,
    caller_token: str,
) -> api.Project:
    """编辑: the whole form again; its documents replace the ones attached before."""
    unit_id = unit_of(caller, _NOT_FOUND)
    current = await _current(project_id, unit_id, uow)
    terms = await vocabulary.terms(services)
    edited = new_project(
        data, unit_id=unit_id, categories=terms.categories, on=clock.today(), now=now(), replacing=current
    )
    documents = await _verified(data, unit_id, uow, services, caller_token)
    async with uow:
        if not await ProjectRepository(uow.conn).update(edited):
            raise _NOT_FOUND()
        attached = await attach(uow, edited.id, documents)
        uow.emit(edited.updated())
        await uow.commit()
    return edited.as_api(attached)


async def remove_project(project_id: str, caller: Caller, uow: UnitOfWork) -> None:
    """删除 a project from the unit's record."""
    unit_id, wanted = unit_of(caller, _NOT_FOUND), parse_id(project_id, _NOT_FOUND)
    async with uow:
        removed = await ProjectRepository(uow.conn).remove(wanted, unit_id)
        if removed is None:
            raise _NOT_FOUND()
        await Attachments(uow.conn).clear([removed.id])
        uow.emit(removed.removed())
        await uow.commit()


async def get_project(project_id: str, caller: Caller, uow: UnitOfWork) -> api.Project:
    """One project of the caller's unit, with its completeness."""
    unit_id, wanted = unit_of(caller, _NOT_FOUND), parse_id(project_id, _NOT_FOUND)
    async with uow.reading() as conn:
        project = await ProjectRepository(conn).get(wanted, unit_id)
        if project is None:
            raise _NOT_FOUND()
        attached = (await Attachments(conn).of([project.id])).get(project.id, [])
    return project.as_api(attached)


async def list_projects(
    caller: Caller, uow: UnitOfWork, *, category: str | None, complete: bool | None, page: int, page_size: int
) -> api.ProjectPage:
    """The unit's projects in the order added; ``counted``: all its complete projects."""
    unit_id = unit_of(caller, _NOT_FOUND)
    async with uow.reading() as conn:
        found = await ProjectRepository(conn).of_unit(unit_id)
    everything = [p.as_api(attached) for p, attached in found]
    wanted = [
        p
        for p in everything
        if (category is None or p.category == category) and (complete is None or p.complete == complete)
    ]
    return api.ProjectPage(
        items=page_of(wanted, page=page, page_size=page_size),
        page=page,
        page_size=page_size,
        total=len(wanted),
        counted=sum(p.complete for p in everything),
    )


async def _current(project_id: str, unit_id: str, uow: UnitOfWork) -> Project:
    """The unit's project of the path, or 404 (also for another unit's)."""
    wanted = parse_id(project_id, _NOT_FOUND)
    async with uow.reading() as conn:
        current = await ProjectRepository(conn).get(wanted, unit_id)
    if current is None:
        raise _NOT_FOUND()
    return current


async def _verified(
    data: api.ProjectCreate, unit_id: str, uow: UnitOfWork, services: ServiceClient, token: str
) -> list[tuple[str, uuid.UUID]]:
    return await verified(
        data.documents,
        unit_id=unit_id,
        allowed=completeness.PROJECT_PURPOSES,
        what="测绘业绩",
        uow=uow,
        services=services,
        token=token,
    )
