"""The registry's controllers: one per resource, thin (parameters in → handler → Struct out)."""

from __future__ import annotations

from typing import Any

from .certificates import CertificateController
from .public import PublicController
from .register import RegisterController, RegisterExportController

ROUTES: list[Any] = [CertificateController, RegisterController, RegisterExportController, PublicController]
