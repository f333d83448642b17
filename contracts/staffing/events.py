"""Events staffing emits on ``qual.staffing.*``.

They carry ids, categories and the keyed hash of a person's 证件号码 (``person_key``, hex of
HMAC-SHA256 under staffing's own key) — never a name or a plain ID number (个人信息保护法).
"""

from __future__ import annotations

from contracts.base import Event


class PersonAdded(Event, frozen=True, tag="staffing.person_added.v1"):
    """技术人员已添加 (manual 5.5.2; ``source`` 填报 or 老人老办法). ``aggregate_id``: the person id."""

    unit_id: str
    person_id: str
    person_key: str
    category: str
    source: str


class PersonUpdated(Event, frozen=True, tag="staffing.person_updated.v1"):
    """技术人员已修改. ``aggregate_id``: the person id."""

    unit_id: str
    person_id: str
    person_key: str
    category: str


class PersonRemoved(Event, frozen=True, tag="staffing.person_removed.v1"):
    """技术人员已移除 by the unit. ``aggregate_id``: the person id."""

    unit_id: str
    person_id: str
    person_key: str


class EquipmentAdded(Event, frozen=True, tag="staffing.equipment_added.v1"):
    """技术装备已添加 (manual 5.6.1). ``aggregate_id``: the equipment id."""

    unit_id: str
    equipment_id: str
    equipment_type: str


class EquipmentUpdated(Event, frozen=True, tag="staffing.equipment_updated.v1"):
    unit_id: str
    equipment_id: str
    equipment_type: str


class EquipmentRemoved(Event, frozen=True, tag="staffing.equipment_removed.v1"):
    unit_id: str
    equipment_id: str
    equipment_type: str


class ProjectAdded(Event, frozen=True, tag="staffing.project_added.v1"):
    """测绘业绩已添加 (manual 5.7). ``aggregate_id``: the project id."""

    unit_id: str
    project_id: str
    category: str


class ProjectUpdated(Event, frozen=True, tag="staffing.project_updated.v1"):
    unit_id: str
    project_id: str
    category: str


class ProjectRemoved(Event, frozen=True, tag="staffing.project_removed.v1"):
    unit_id: str
    project_id: str
    category: str


class PersonReleased(Event, frozen=True, tag="staffing.person_released.v1"):
    """协调: an authority released a person from ``unit_id``. ``aggregate_id``: the person id."""

    unit_id: str
    person_id: str
    person_key: str
    release_id: str
    jurisdiction: str


class EquipmentReleased(Event, frozen=True, tag="staffing.equipment_released.v1"):
    """协调: an authority released an instrument from ``unit_id``. ``aggregate_id``: the equipment id."""

    unit_id: str
    equipment_id: str
    equipment_type: str
    release_id: str
    jurisdiction: str


class RosterSnapshotted(Event, frozen=True, tag="staffing.roster_snapshotted.v1"):
    """The roster was frozen for an application revision. ``aggregate_id``: the snapshot id."""

    unit_id: str
    snapshot_id: str
    application_id: str
    revision: int
    jurisdiction: str
    persons: int
    equipment: int
    projects: int


class RosterMadeOfficial(Event, frozen=True, tag="staffing.roster_made_official.v1"):
    """An approved application's snapshot became the unit's official roster. ``aggregate_id``: the unit id."""

    unit_id: str
    snapshot_id: str
    application_id: str
