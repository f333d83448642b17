"""Settings the standards service alone reads: where the standard's data files live."""

from __future__ import annotations

from pathlib import Path

from services.kernel import BaseSettings

__all__ = ["DEFAULT_DATA_DIR", "StandardsSettings", "data_dir"]

DEFAULT_DATA_DIR = Path(__file__).resolve().parent / "data"


class StandardsSettings(BaseSettings, kw_only=True, frozen=True):
    """``STANDARDS_DATA_DIR``: a directory of ``<version>.json`` files (default: the package's data)."""

    service_name: str = "standards"
    standards_data_dir: str = ""


def data_dir(settings: StandardsSettings) -> Path:
    """The configured data directory, or the package's own."""
    return Path(settings.standards_data_dir) if settings.standards_data_dir else DEFAULT_DATA_DIR
