"""Staffing's controllers: one per resource, thin (Struct in → handler → Struct out)."""

from __future__ import annotations

from typing import Any

from .equipment import EquipmentController
from .fulfilment import FulfilmentController
from .legacy import LegacyController
from .legacy_transfers import LegacyTransferController
from .persons import PersonController
from .projects import ProjectController
from .releases import ReleaseController
from .snapshots import SnapshotController

ROUTES: list[Any] = [
    FulfilmentController,
    SnapshotController,
    ReleaseController,
    PersonController,
    EquipmentController,
    ProjectController,
    LegacyTransferController,
    LegacyController,
]
