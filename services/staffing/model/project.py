"""测绘业绩 (manual 5.7): a project of a unit's record.

``new_project`` checks what the request Struct cannot: the 专业类别 is in the vocabulary of the
standard in force, the 合同金额 (万元) has at most two decimals, and the dates are in order and
not in the future. A project counts when its 项目合同 and 验收证明 are attached
(completeness.project_problems).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TypeVar, cast

from contracts.documents.api import Purpose
from contracts.staffing import api, events

from .. import errors
from .completeness import Attached, project_problems

__all__ = ["CENT", "MAX_AMOUNT_WAN", "Project", "amount_in_cents", "new_project"]

CENT = Decimal("0.01")
"""合同金额 is kept to the 0.01 万元."""
MAX_AMOUNT_WAN = Decimal(100_000_000)
"""The largest 合同金额 (万元) accepted."""

Told = TypeVar("Told", events.ProjectAdded, events.ProjectUpdated, events.ProjectRemoved)


@dataclass(frozen=True, slots=True, kw_only=True)
class Project:
    """测绘业绩 as stored; ``amount_wan`` in 万元, two decimals."""

    id: uuid.UUID
    unit_id: str
    name: str
    category: str
    amount_wan: Decimal
    client: str
    signed_on: dt.date
    completed_on: dt.date
    created_at: dt.datetime
    updated_at: dt.datetime

    def problems(self, attached: Sequence[Attached]) -> list[api.Problem]:
        return [api.Problem(code=p.code, message=p.message) for p in project_problems(attached=attached)]

    def as_api(self, attached: Sequence[Attached]) -> api.Project:
        problems = self.problems(attached)
        return api.Project(
            id=str(self.id),
            unit_id=self.unit_id,
            name=self.name,
            category=self.category,
            amount_wan=str(self.amount_wan.quantize(CENT)),
            client=self.client,
            signed_on=self.signed_on,
            completed_on=self.completed_on,
            documents=[api.Attachment(purpose=cast(Purpose, a.purpose), document_id=a.document_id) for a in attached],
            complete=not problems,
            problems=problems,
            created_at=self.created_at,
            updated_at=self.updated_at,
        )

    def added(self) -> events.ProjectAdded:
        return self._told(events.ProjectAdded)

    def updated(self) -> events.ProjectUpdated:
        return self._told(events.ProjectUpdated)

    def removed(self) -> events.ProjectRemoved:
        return self._told(events.ProjectRemoved)

    def _told(self, kind: Callable[..., Told]) -> Told:
        return kind(aggregate_id=str(self.id), unit_id=self.unit_id, project_id=str(self.id), category=self.category)


def new_project(
    data: api.ProjectCreate,
    *,
    unit_id: str,
    categories: frozenset[str],
    on: dt.date,
    now: dt.datetime,
    replacing: Project | None = None,
) -> Project:
    """The project ``data`` describes, checked on ``on``. An edit (``replacing`` the stored one)
    keeps its id and creation time; a new one gets a fresh id, created ``now``."""
    category = data.category.strip()
    if category not in categories:
        raise errors.UnknownVocabularyError("category", "专业类别", data.category)
    _check_dates(data, on)
    return Project(
        id=replacing.id if replacing else uuid.uuid4(),
        unit_id=unit_id,
        name=_text(data.name, "name", "项目名称"),
        category=category,
        amount_wan=amount_in_cents(data.amount_wan),
        client=_text(data.client, "client", "委托单位"),
        signed_on=data.signed_on,
        completed_on=data.completed_on,
        created_at=replacing.created_at if replacing else now,
        updated_at=now,
    )


def amount_in_cents(amount: Decimal) -> Decimal:
    """合同金额 to two decimals: > 0 and ≤ MAX_AMOUNT_WAN; more decimals (``1.234``) are refused
    rather than rounded (``1.230`` is 1.23)."""
    if not amount.is_finite() or amount <= 0:
        raise errors.InvalidFieldError("amount_wan", "合同金额应大于0万元")
    if amount > MAX_AMOUNT_WAN:
        raise errors.InvalidFieldError("amount_wan", f"合同金额不能超过{MAX_AMOUNT_WAN}万元")
    kept = amount.quantize(CENT)
    if kept != amount:
        raise errors.InvalidAmountError()
    return kept


def _check_dates(data: api.ProjectCreate, on: dt.date) -> None:
    if data.signed_on > on:
        raise errors.InvalidFieldError("signed_on", "合同签订日期不能晚于今天，请核对后重新填写")
    if data.completed_on > on:
        raise errors.InvalidFieldError("completed_on", "完成/验收日期不能晚于今天，请核对后重新填写")
    if data.completed_on < data.signed_on:
        raise errors.InvalidFieldError("completed_on", "完成/验收日期不能早于合同签订日期，请核对后重新填写")


def _text(value: str, field: str, label: str) -> str:
    """A required text without its surrounding blanks; only blanks is a missing value."""
    stripped = value.strip()
    if not stripped:
        raise errors.MissingFieldError(field, label)
    return stripped
