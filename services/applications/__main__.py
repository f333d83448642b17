"""`python -m services.applications`: serve (no arguments, or ``serve``), or ``calendar load FILE``."""

import sys

if sys.argv[1:2] == ["calendar"]:
    from services.applications.calendar_cli import main

    sys.exit(main(sys.argv[1:]))

from services.applications.app import SPEC

SPEC.main()
