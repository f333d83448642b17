"""Catalog: the loaded versions of the standard, which one is in force, and their published form."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from pathlib import Path

import msgspec

from contracts.standards.api import StandardDetail, StandardVersion, StandardVersions
from services.standards.errors import NoStandardInForceError, UnknownVersionError
from services.standards.evaluation.compiled import CompiledStandard, compile_standard
from services.standards.loader import load_dir
from services.standards.model import StandardFile

__all__ = ["Catalog"]


class Catalog:
    """Every version, compiled once at start; read-only afterwards."""

    def __init__(self, files: Sequence[StandardFile]) -> None:
        ordered = sorted(files, key=lambda item: item.effective_from)
        self._compiled = {item.version: compile_standard(item) for item in ordered}
        self._details = {item.version: _detail(item) for item in ordered}
        self._by_date = [self._compiled[item.version] for item in ordered]
        self._versions = StandardVersions(versions=[_summary(item) for item in ordered])

    @classmethod
    def from_dir(cls, directory: Path) -> Catalog:
        """Load and validate ``directory``; raises StandardDataError naming file and field."""
        return cls(load_dir(directory))

    def versions(self) -> StandardVersions:
        return self._versions

    def detail(self, version: str) -> StandardDetail:
        try:
            return self._details[version]
        except KeyError:
            raise UnknownVersionError(version) from None

    def compiled(self, version: str) -> CompiledStandard:
        try:
            return self._compiled[version]
        except KeyError:
            raise UnknownVersionError(version) from None

    def in_force(self, day: datetime.date) -> CompiledStandard:
        """The latest version whose effective date is on or before ``day``."""
        candidates = [item for item in self._by_date if item.effective_from <= day]
        if not candidates:
            raise NoStandardInForceError(day)
        return candidates[-1]

    def choose(self, version: str | None, day: datetime.date) -> CompiledStandard:
        """The named version, else the one in force on ``day``."""
        return self.compiled(version) if version is not None else self.in_force(day)


def _summary(data: StandardFile) -> StandardVersion:
    return StandardVersion(
        version=data.version,
        title=data.title,
        document=data.document,
        effective_from=data.effective_from,
        official=data.official,
    )


def _detail(data: StandardFile) -> StandardDetail:
    return msgspec.convert(msgspec.to_builtins(data), StandardDetail)
