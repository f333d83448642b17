"""ServiceSpec: how a service is named, configured, built and run — so each service's own
``app.py`` and ``__main__.py`` stay a few lines of wiring."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from typing import Generic, TypeVar

from .runner import run
from .settings import BaseSettings, SettingsError, load_settings

__all__ = ["ServiceSpec"]

S = TypeVar("S", bound=BaseSettings)


@dataclass(frozen=True)
class ServiceSpec(Generic[S]):
    """``name`` (database ``qual_<name>``, stream ``QUAL_<NAME>``), settings class, default port."""

    name: str
    settings_cls: type[S]
    default_port: int
    factory: str  # "services.<name>.app:create_app"

    def settings(self) -> S:
        """Settings from the environment with this service's name and default port."""
        return load_settings(self.settings_cls, None, **self._defaults())

    def _defaults(self) -> dict[str, object]:
        from os import environ

        defaults: dict[str, object] = {}
        if "SERVICE_NAME" not in environ:
            defaults["service_name"] = self.name
        if "PORT" not in environ:
            defaults["port"] = self.default_port
        return defaults

    def main(self) -> None:
        """``python -m services.<name>``: serve with granian until SIGTERM."""
        try:
            settings = self.settings()
        except SettingsError as exc:
            sys.exit(f"{self.name}: bad setting {exc}")
        run(self.factory, settings)
