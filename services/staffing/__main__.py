"""`python -m services.staffing`."""

from services.staffing.app import SPEC

SPEC.main()
