"""HTTP API of the staffing service: a unit's 技术人员, 技术装备 and 测绘业绩 (manual 5.5–5.7).

Routes (behind the internal token; through the gateway at ``/api/staffing/…``):
    GET    /persons?category=&complete=&q=&page=&page_size=   -> PersonPage       (unit: its own)
    POST   /persons             PersonCreate -> 201 Person; 409 person_held_by_other_unit
    GET    /persons/{id}        -> Person, with the full 证件号码                  (owner)
    PUT    /persons/{id}        PersonCreate -> Person                            (owner)
    DELETE /persons/{id}        -> 204 (移除)                                      (owner)
    GET|POST /equipment, GET|PUT|DELETE /equipment/{id}      the same for 技术装备
    GET|POST /projects,  GET|PUT|DELETE /projects/{id}       the same for 测绘业绩
    POST   /fulfilment          FulfilmentRequest -> standards' Evaluation     (unit)
    POST   /snapshots           SnapshotRequest -> 201 Snapshot (200 repeated) (service)
    GET    /snapshots/{id}      -> Snapshot (unit: its own, masked; authority: the full numbers)
    GET    /legacy/persons?page=&page_size=  -> LegacyPersonPage  (unit: by its 统一社会信用代码)
    POST   /legacy/transfers    LegacyTransferRequest -> LegacyTransferResult   (unit)
    POST   /legacy/loads        multipart ``file`` (CSV) -> 201 LegacyLoad     (admin, 000000 authority)
    GET    /legacy/loads/{id}/report  -> text/csv of the rejected rows          (whoever loaded)
    POST   /releases            ReleaseRequest -> 201 Release                   (authority over the holder)
    GET    /releases?page=&page_size=  -> ReleasePage (unit: of its roster; authority: its jurisdiction)

Whoever may not read a resource gets 404, exactly as for an id that does not exist. Lists show the
masked 证件号码 (``110101********123X``); the full number only in the owner's ``GET /persons/{id}``
(the edit form) and in the snapshot an authority reviews.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Annotated, Literal

import msgspec

from contracts.base import Request, Response
from contracts.documents.api import Purpose
from contracts.standards.api import EquipmentHolding, HeldQualification, LevelRequest, ProjectRecord, StaffMember

__all__ = [
    "Attachment",
    "Education",
    "Equipment",
    "EquipmentCreate",
    "EquipmentPage",
    "Facts",
    "FulfilmentRequest",
    "Gender",
    "IdType",
    "LegacyLoad",
    "LegacyPerson",
    "LegacyPersonPage",
    "LegacyTransferRequest",
    "LegacyTransferResult",
    "Person",
    "PersonCategory",
    "PersonCreate",
    "PersonPage",
    "Problem",
    "Project",
    "ProjectCreate",
    "ProjectPage",
    "Release",
    "ReleasePage",
    "ReleaseRequest",
    "Snapshot",
    "SnapshotReceipt",
    "SnapshotRequest",
    "TitleLevel",
    "TransferConflict",
]

IdType = Literal["居民身份证", "港澳台居民居住证", "外国人永久居留身份证", "护照"]
"""证件类型; 居民身份证 by default."""
PersonCategory = Literal["测绘专业技术人员", "相关专业技术人员", "非专业技术人员"]
"""人员类别 (manual 5.5.3)."""
TitleLevel = Literal["高级", "中级", "初级"]
"""职称等级; required for 测绘专业技术人员."""
Gender = Literal["男", "女"]
Education = Literal["博士研究生", "硕士研究生", "大学本科", "大学专科", "中等专科", "高中及以下"]
"""学历."""
Source = Literal["填报", "老人老办法"]
"""How a person entered the roster: typed in, or transferred from the old system's export."""

Name = Annotated[str, msgspec.Meta(min_length=1, max_length=50)]
Text = Annotated[str, msgspec.Meta(min_length=1, max_length=100)]
LongText = Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
RawIdNumber = Annotated[str, msgspec.Meta(min_length=1, max_length=32)]
"""As typed; normalised (trimmed, upper case) and checked by staffing for its 证件类型."""
Serial = Annotated[str, msgspec.Meta(min_length=1, max_length=64)]
DocumentId = Annotated[str, msgspec.Meta(min_length=1, max_length=64)]
EntityId = Annotated[str, msgspec.Meta(min_length=1, max_length=64)]
AmountWan = Annotated[
    Decimal, msgspec.Meta(description="合同金额（万元）：大于0，不超过100000000，最多两位小数", examples=["120.50"])
]
"""合同金额 in 万元: > 0, ≤ 100,000,000, at most two decimals — all checked by staffing (a JSON number
or a decimal string): msgspec has no range constraints for ``Decimal`` (``Meta(gt=…)`` makes the
type unusable)."""
Attachments = Annotated[list["Attachment"], msgspec.Meta(max_length=50)]


class Attachment(msgspec.Struct, frozen=True, kw_only=True):
    """A document (uploaded to the documents service) attached for a purpose."""

    purpose: Purpose
    document_id: DocumentId


class Problem(Response):
    """Why an entry is incomplete and does not count (shown with it, in another colour)."""

    code: str
    message: str


# --- 技术人员 ----------------------------------------------------------------------------------


class PersonCreate(Request, kw_only=True):
    """添加 / 编辑 a person. 性别 and 出生日期 are read from an 18-digit number; for a 护照 or an old
    外国人永久居留身份证 they must be given. ``substitute_reason`` states why 其它 documents replace
    a missing certificate (其它材料替代)."""

    name: Name
    id_type: IdType = "居民身份证"
    id_number: RawIdNumber
    category: PersonCategory
    gender: Gender | None = None
    birth_date: datetime.date | None = None
    title_level: TitleLevel | None = None
    title_name: Text | None = None
    major: Text | None = None
    education: Education | None = None
    school: Text | None = None
    retired: bool = False
    hired_on: datetime.date | None = None
    substitute_reason: LongText | None = None
    documents: Attachments = msgspec.field(default_factory=list)


class Person(Response, kw_only=True):
    """A person of the unit's roster. ``id_number`` is present only in the owner's single read
    (the edit form); lists carry ``id_number_masked``. ``complete`` false: shown in another
    colour with ``problems``, and not counted (manual 5.5.2)."""

    id: str
    unit_id: str
    name: str
    id_type: str
    id_number_masked: str
    category: str
    gender: str | None
    birth_date: datetime.date | None
    title_level: str | None
    title_name: str | None
    major: str | None
    education: str | None
    school: str | None
    retired: bool
    hired_on: datetime.date | None
    substitute_reason: str | None
    documents: list[Attachment]
    source: str
    complete: bool
    problems: list[Problem]
    created_at: datetime.datetime
    updated_at: datetime.datetime
    id_number: str | None = None


class PersonPage(Response):
    """One page of the unit's persons, in the order they were added; ``counted`` is how many of
    all the unit's persons (not only this page's) are complete."""

    items: list[Person]
    page: int
    page_size: int
    total: int
    counted: int


# --- 技术装备 ----------------------------------------------------------------------------------


class EquipmentCreate(Request, kw_only=True):
    """添加 / 编辑 an instrument. ``type`` is a 设备类型 of the standard in force; ``serial`` (出厂编号)
    is normalised (trim, full-width to half-width, upper case), never merged with another."""

    type: Text
    brand: Text
    model: Text
    serial: Serial
    purchased_on: datetime.date
    calibration_valid_until: datetime.date | None = None
    documents: Attachments = msgspec.field(default_factory=list)


class Equipment(Response, kw_only=True):
    """An instrument of the unit. It counts when complete and its 检定/校准 is valid on the day."""

    id: str
    unit_id: str
    type: str
    brand: str
    model: str
    serial: str
    purchased_on: datetime.date
    calibration_valid_until: datetime.date | None
    documents: list[Attachment]
    complete: bool
    problems: list[Problem]
    created_at: datetime.datetime
    updated_at: datetime.datetime


class EquipmentPage(Response):
    items: list[Equipment]
    page: int
    page_size: int
    total: int
    counted: int


# --- 测绘业绩 ----------------------------------------------------------------------------------


class ProjectCreate(Request, kw_only=True):
    """添加 / 编辑 a project: 合同金额 in 万元 (> 0, two decimals); 完成/验收日期 not before 签订, not
    in the future."""

    name: LongText
    category: Text
    amount_wan: AmountWan
    client: LongText
    signed_on: datetime.date
    completed_on: datetime.date
    documents: Attachments = msgspec.field(default_factory=list)


class Project(Response, kw_only=True):
    """A project of the unit's record; ``amount_wan`` is a decimal string (``"123.45"``)."""

    id: str
    unit_id: str
    name: str
    category: str
    amount_wan: str
    client: str
    signed_on: datetime.date
    completed_on: datetime.date
    documents: list[Attachment]
    complete: bool
    problems: list[Problem]
    created_at: datetime.datetime
    updated_at: datetime.datetime


class ProjectPage(Response):
    items: list[Project]
    page: int
    page_size: int
    total: int
    counted: int


# --- 满足情况 ----------------------------------------------------------------------------------


class FulfilmentRequest(Request, kw_only=True):
    """专业技术人员 / 技术装备满足情况查看: the categories and levels picked, evaluated on ``date``
    (default today) against the unit's countable roster and the certificates it holds. The
    answer is the standards service's ``Evaluation``, unchanged."""

    requests: Annotated[list[LevelRequest], msgspec.Meta(min_length=1, max_length=20)]
    date: datetime.date | None = None


class Facts(Response):
    """The countable facts of a roster as the standards service takes them (``EvaluateRequest``)."""

    staff: list[StaffMember]
    equipment: list[EquipmentHolding]
    held: list[HeldQualification]
    projects: list[ProjectRecord]


# --- snapshots ---------------------------------------------------------------------------------


class SnapshotRequest(Request, kw_only=True):
    """Freeze the unit's roster for an application revision (the applications service, on 提交).
    Repeating the same ``application_id`` and ``revision`` answers the snapshot already made."""

    unit_id: EntityId
    application_id: EntityId
    revision: Annotated[int, msgspec.Meta(ge=0, le=1_000_000)]
    jurisdiction: Annotated[str, msgspec.Meta(pattern=r"^[0-9]{6}$")]


class Snapshot(Response, kw_only=True):
    """An immutable copy of the roster as submitted: persons, equipment and projects as they were
    (with completeness on ``taken_on``), every attached document id, and the countable ``facts``.
    ``id_number`` of each person is present only for an authority covering ``jurisdiction``."""

    id: str
    unit_id: str
    application_id: str
    revision: int
    jurisdiction: str
    taken_on: datetime.date
    created_at: datetime.datetime
    official: bool
    persons: list[Person]
    equipment: list[Equipment]
    projects: list[Project]
    document_ids: list[str]
    facts: Facts


class SnapshotReceipt(Response, kw_only=True):
    """What ``POST /snapshots/receipts`` answers: the snapshot taken (or already taken) for the
    revision, without its content (the full masked ``Snapshot`` of a large roster is ~600 kB)."""

    id: str
    unit_id: str
    application_id: str
    revision: int
    jurisdiction: str
    taken_on: datetime.date


# --- 老人老办法 --------------------------------------------------------------------------------


class LegacyPerson(Response, kw_only=True):
    """A person of the old system's export for the caller unit's 统一社会信用代码."""

    id: str
    name: str
    id_type: str
    id_number_masked: str
    category: str
    title_level: str | None
    title_name: str | None
    major: str | None
    education: str | None
    school: str | None
    retired: bool
    transferred: bool


class LegacyPersonPage(Response):
    items: list[LegacyPerson]
    page: int
    page_size: int
    total: int


class LegacyTransferRequest(Request):
    """人员基本信息转移: the legacy persons ticked."""

    ids: Annotated[list[EntityId], msgspec.Meta(min_length=1, max_length=1000)]


class TransferConflict(Response):
    """A ticked person who is registered at another unit, or whose number the rules now refuse."""

    id: str
    name: str
    code: str
    message: str


class LegacyTransferResult(Response):
    transferred: list[Person]
    refused: list[TransferConflict]


class LegacyLoad(Response, kw_only=True):
    """A load of the old system's staff export: how many rows were read, accepted and rejected;
    the rejected rows' report (line, column, reason) is at ``report_url``."""

    id: str
    filename: str
    rows: int
    accepted: int
    rejected: int
    created_at: datetime.datetime
    report_url: str


# --- 协调 (release by the authority) -----------------------------------------------------------


class ReleaseRequest(Request, kw_only=True):
    """协调: an authority releases a person (证件类型 + 证件号码) or an instrument (设备类型 + 出厂编号)
    from the unit holding it, with a reason; the holding unit sees the release."""

    kind: Literal["person", "equipment"]
    reason: LongText
    id_type: IdType = "居民身份证"
    id_number: RawIdNumber | None = None
    equipment_type: Text | None = None
    serial: Serial | None = None


class Release(Response, kw_only=True):
    """A release as recorded: whom it was taken from, what (a masked number or the serial), why."""

    id: str
    kind: str
    unit_id: str
    unit_name: str
    subject: str
    reason: str
    released_by: str
    jurisdiction: str
    created_at: datetime.datetime


class ReleasePage(Response):
    items: list[Release]
    page: int
    page_size: int
    total: int
