"""`python -m services.applications`."""

from services.applications.app import SPEC

SPEC.main()
