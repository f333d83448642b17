"""工作类型 and their pages: which pages a type has, in order, and when a page applies.

The layout is data (services/applications/data/types.json); this module holds its shape and the
fixed vocabularies it is checked against (the 8 工作类型 and 3 证书类型 of contracts.types).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import get_args

from contracts.types import ApplicationType, CertificateType

from .pages import PageSpec

__all__ = [
    "APPLICATION_TYPES",
    "CERTIFICATE_TYPES",
    "CONDITIONS",
    "NAVIGATION",
    "Catalog",
    "LaidPage",
    "TypeSpec",
]

APPLICATION_TYPES: tuple[str, ...] = get_args(ApplicationType)
CERTIFICATE_TYPES: tuple[str, ...] = get_args(CertificateType)
NAVIGATION = "导航电子地图制作甲级资质证书"
CONDITIONS = frozenset({"needs_projects"})
"""When a page applies only sometimes: ``needs_projects`` (测绘业绩信息, a category 乙级 → 甲级)."""


@dataclass(frozen=True, slots=True)
class LaidPage:
    """A page in a type's layout, with the condition under which it applies (None: always)."""

    spec: PageSpec
    when: str | None = None


@dataclass(frozen=True, slots=True)
class TypeSpec:
    """One 工作类型: its pages in the switcher's order."""

    application_type: str
    layout: tuple[LaidPage, ...]

    def has_page(self, key: str) -> bool:
        return any(laid.spec.key == key for laid in self.layout)


@dataclass(frozen=True, slots=True)
class Catalog:
    """Every page definition and every type's layout, as loaded and validated at start."""

    version: str
    pages: Mapping[str, PageSpec]
    types: Mapping[str, TypeSpec]

    def layout_of(self, application_type: str) -> tuple[LaidPage, ...]:
        return self.types[application_type].layout
