"""The 技术人员 list's rows as the API shows them: each person built straight from its row of
``Persons.of_unit`` (no intermediate objects), its completeness judged once per distinct case."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import asyncpg

from contracts.staffing import api

from ..model import completeness
from ..repository.attachments import attached_of

__all__ = ["api_problems", "judged_problems", "listed"]


def judged_problems() -> Callable[[asyncpg.Record], list[api.Problem]]:
    """The completeness problems of a listed person's row (manual 5.5.2). They depend only on its
    人员类别, 退休, 替代理由 and the purposes and usability of its attachments (not on which
    document it is), which most persons of a roster share: each distinct case is judged once."""
    judged: dict[tuple[Any, ...], list[api.Problem]] = {}

    def problems(row: asyncpg.Record) -> list[api.Problem]:
        purposes, usable = tuple(row["purposes"] or ()), tuple(row["usable"] or ())
        case = (row["category"], row["retired"], row["substitute_reason"], purposes, usable)
        found = judged.get(case)
        if found is None:
            found = judged[case] = api_problems(
                completeness.person_problems(
                    category=row["category"],
                    retired=row["retired"],
                    substitute_reason=row["substitute_reason"],
                    attached=attached_of(row),
                )
            )
        return found

    return problems


def listed(row: asyncpg.Record, problems: list[api.Problem]) -> api.Person:
    """A row of ``Persons.of_unit`` as the list shows it (masked number only)."""
    documents = zip(row["purposes"] or (), row["documents"] or (), strict=True)
    return api.Person(
        id=row["id"],
        unit_id=row["unit_id"],
        name=row["name"],
        id_type=row["id_type"],
        id_number_masked=row["id_number_masked"],
        category=row["category"],
        gender=row["gender"],
        birth_date=row["birth_date"],
        title_level=row["title_level"],
        title_name=row["title_name"],
        major=row["major"],
        education=row["education"],
        school=row["school"],
        retired=row["retired"],
        hired_on=row["hired_on"],
        substitute_reason=row["substitute_reason"],
        documents=[api.Attachment(purpose=purpose, document_id=document_id) for purpose, document_id in documents],
        source=row["source"],
        complete=not problems,
        problems=list(problems),
        created_at=row["created_at"],
        updated_at=row["updated_at"],
    )


def api_problems(problems: Sequence[completeness.Problem]) -> list[api.Problem]:
    return [api.Problem(code=problem.code, message=problem.message) for problem in problems]
