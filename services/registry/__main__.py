"""`python -m services.registry`."""

from services.registry.app import SPEC

SPEC.main()
