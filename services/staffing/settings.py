"""StaffingSettings: the variables only staffing reads (its two keys, page and import limits)."""

from __future__ import annotations

from typing import Annotated

import msgspec

from services.kernel import BaseSettings

from .protection import Protector

__all__ = ["StaffingSettings"]


class StaffingSettings(BaseSettings, kw_only=True, frozen=True):
    """Each field is one environment variable (``STAFFING_DATA_KEY``, …).

    The two keys are 32 random bytes in base64 (``make run`` generates them into
    ``.data/keys.json``); the service refuses to start without them.
    """

    service_name: str = "staffing"
    staffing_data_key: str = ""
    """AES-256-GCM key of the stored 证件号码 and snapshots."""
    staffing_hash_key: str = ""
    """HMAC-SHA256 key of the keyed hash that makes a person unique across units."""
    staffing_standards_cache_seconds: Annotated[float, msgspec.Meta(ge=0)] = 300.0
    """How long the standard's vocabulary (设备类型, 专业类别) is kept before it is read again."""
    staffing_legacy_max_bytes: Annotated[int, msgspec.Meta(ge=1)] = 512 << 20
    """The largest legacy export accepted by upload."""

    def __post_init__(self) -> None:
        Protector(self.staffing_data_key, self.staffing_hash_key)  # raises naming the variable

    def protector(self) -> Protector:
        return Protector(self.staffing_data_key, self.staffing_hash_key)
