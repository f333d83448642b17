"""专业范围变更: what the requested 专业范围 adds to and removes from the certificate's.

The registry replaces the certificate's 专业范围 with the one approved, so a unit that ticked only
the 专业 it wanted to add lost every other one (issue 18). Now the page opens with the
certificate's scope (``Work.current_levels``), shows 增加 and 减少 against it, and a 专业 dropped
from it must be confirmed by name: the page's ``removals`` field lists the confirmed ones, and
保存 and 提交 are refused while a dropped 专业 is not among them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

__all__ = ["ScopeChanges", "removal_refusal", "scope_changes"]


@dataclass(frozen=True, slots=True)
class ScopeChanges:
    """专业类别 requested and not on the certificate (增加), and on it and not requested (减少)."""

    added: tuple[str, ...]
    removed: tuple[str, ...]


def scope_changes(current: Iterable[str], requested: Any) -> ScopeChanges:
    """The change from ``current`` (the certificate's 专业类别) to ``requested`` (the ``levels``
    value: a list of {category, level, sub_items})."""
    held = list(dict.fromkeys(current))
    items = requested if isinstance(requested, Sequence) and not isinstance(requested, str) else []
    wanted = list(dict.fromkeys(str(i["category"]) for i in items if isinstance(i, Mapping) and i.get("category")))
    return ScopeChanges(
        added=tuple(c for c in wanted if c not in held), removed=tuple(c for c in held if c not in wanted)
    )


def removal_refusal(changes: ScopeChanges, confirmed: Iterable[str]) -> str | None:
    """Why the page may not be saved or submitted as it is (a dropped 专业 not confirmed), or None."""
    unconfirmed = [c for c in changes.removed if c not in set(confirmed)]
    if not unconfirmed:
        return None
    return f"本次变更将从资质证书中减少专业：{'、'.join(unconfirmed)}。如确需减少，请勾选确认；否则请保留该专业"
