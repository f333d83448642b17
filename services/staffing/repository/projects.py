"""SQL of 测绘业绩: a unit's project record. Every read and write takes the caller's unit."""

from __future__ import annotations

import uuid
from typing import Any

from services.kernel.db import Connection

from ..model.completeness import Attached
from ..model.project import Project
from .attachments import AGGREGATED, aggregated, attached_of

__all__ = ["ProjectRepository"]

_NAMES = (
    *("id", "unit_id", "name", "category", "amount_wan", "client", "signed_on", "completed_on"),
    *("created_at", "updated_at"),
)
_COLUMNS = ", ".join(_NAMES)


def _project(row: Any) -> Project:
    return Project(**{name: row[name] for name in _NAMES})


def _facts(p: Project) -> tuple[Any, ...]:
    return (p.id, p.unit_id, p.name, p.category, p.amount_wan, p.client, p.signed_on, p.completed_on)


class ProjectRepository:
    _INSERT = f"INSERT INTO projects ({_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"
    _UPDATE = """
    UPDATE projects SET (name, category, amount_wan, client, signed_on, completed_on, updated_at)
      = ($3, $4, $5, $6, $7, $8, $9)
    WHERE id = $1 AND unit_id = $2
    RETURNING id"""
    _GET = f"SELECT {_COLUMNS} FROM projects WHERE id = $1 AND unit_id = $2"
    _OF_UNIT = f"""
    SELECT {_COLUMNS}, {AGGREGATED} FROM projects p {aggregated("p.id")}
    WHERE p.unit_id = $1 ORDER BY p.created_at, p.id"""
    _REMOVE = f"DELETE FROM projects WHERE id = $1 AND unit_id = $2 RETURNING {_COLUMNS}"

    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    async def add(self, project: Project) -> None:
        await self._conn.execute(self._INSERT, *_facts(project), project.created_at, project.updated_at)

    async def update(self, project: Project) -> bool:
        """Store the edited project; False when it is not the unit's."""
        return await self._conn.fetchval(self._UPDATE, *_facts(project), project.updated_at) is not None

    async def get(self, project_id: uuid.UUID, unit_id: str) -> Project | None:
        row = await self._conn.fetchrow(self._GET, project_id, unit_id)
        return None if row is None else _project(row)

    async def of_unit(self, unit_id: str) -> list[tuple[Project, list[Attached]]]:
        """All the unit's projects, in the order they were added, each with its attachments (as
        ``Attachments.of`` reads them). One query."""
        return [(_project(row), attached_of(row)) for row in await self._conn.fetch(self._OF_UNIT, unit_id)]

    async def remove(self, project_id: uuid.UUID, unit_id: str) -> Project | None:
        row = await self._conn.fetchrow(self._REMOVE, project_id, unit_id)
        return None if row is None else _project(row)
