"""``python -m services.identity``: serve identity until SIGTERM (``PORT`` default 8101)."""

from __future__ import annotations

from services.identity.app import SPEC

SPEC.main()
