"""`python -m services.documents`."""

from services.documents.app import SPEC

SPEC.main()
