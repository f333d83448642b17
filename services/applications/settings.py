"""ApplicationsSettings: the variables only the applications service reads."""

from __future__ import annotations

from typing import Annotated

import msgspec

from services.kernel import BaseSettings

__all__ = ["ApplicationsSettings"]


class ApplicationsSettings(BaseSettings, kw_only=True, frozen=True):
    """Each field is one environment variable (``APPLICATIONS_STANDARDS_CACHE_SECONDS``, …)."""

    service_name: str = "applications"
    applications_standards_cache_seconds: Annotated[float, msgspec.Meta(ge=0)] = 300.0
    """How long the standard's 专业类别, 等级 and 专业子项 are kept before they are read again."""
