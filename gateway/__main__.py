"""`python -m gateway`: serve the gateway with granian until SIGTERM."""

from __future__ import annotations

import sys

from gateway.settings import load_gateway_settings
from services.kernel import SettingsError
from services.kernel.runner import run


def main() -> None:
    try:
        settings = load_gateway_settings()
    except SettingsError as exc:
        sys.exit(f"gateway: bad setting {exc}")
    run("gateway.app:create_app", settings)


if __name__ == "__main__":
    main()
