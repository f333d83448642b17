"""The unit's particulars on record: what its approved 新单位注册 and 基本信息变更 established.

单位名称, 注册地址 and 法定代表人 are read-only on 单位基本信息 once the unit is verified (5.3);
the values they are fixed to are the approved pages' values, each later change applied in turn.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from .provinces import PROVINCES
from .work import CHANGES, UNIT_INFO, UnitRecord

__all__ = ["LOCKABLE", "on_record", "province_of_address"]

LOCKABLE = ("unit_name", "registered_address", "legal_representative")
_FROM_CHANGES = {
    "new_unit_name": "unit_name",
    "new_registered_address": "registered_address",
    "new_legal_representative": "legal_representative",
}


def on_record(unit: UnitRecord | None, approved: Iterable[tuple[str, Mapping[str, Any]]]) -> dict[str, Any]:
    """Field key → value on record, from approved pages (oldest first) and identity's verified name."""
    record: dict[str, Any] = {}
    for key, values in approved:
        if key == UNIT_INFO:
            record.update({k: values[k] for k in LOCKABLE if values.get(k)})
        elif key == CHANGES:
            record.update({_FROM_CHANGES[k]: v for k, v in values.items() if k in _FROM_CHANGES and v})
    if unit is not None and unit.verified:
        record["unit_name"] = unit.unit_name
    return record


def province_of_address(address: Any) -> str | None:
    """The province code of a ``province_address`` value, or of an address text by its name."""
    if isinstance(address, Mapping):
        code = address.get("province")
        return str(code) if code in PROVINCES else None
    if isinstance(address, str):
        return next((code for code, name in PROVINCES.items() if address.startswith(name)), None)
    return None
