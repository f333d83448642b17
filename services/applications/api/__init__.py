"""The applications service's controllers: one per resource, thin (Struct in → handler → Struct out).

The workflow adds its controllers here (one line each).
"""

from __future__ import annotations

from typing import Any

from .calendar import CalendarController
from .pages import PageController
from .queue import QueueController
from .review import ReviewController
from .submission import SubmissionController
from .works import TypeController, WorkController

ROUTES: list[Any] = [
    TypeController,
    WorkController,
    PageController,
    SubmissionController,
    ReviewController,
    QueueController,
    CalendarController,
]
