"""``make bench``: every benchmark in one run on this machine, printed as one table."""

from __future__ import annotations

import importlib
import sys
import traceback

SUITES = [
    "bench.platform_bench",
    "bench.events_bench",
    "bench.standards_bench",
    "bench.standards_http_bench",
    "bench.documents_bench",
    "bench.staffing_bench",
    "bench.staffing_legacy_bench",
    "bench.applications_bench",
    "bench.registry_pdf_bench",
    "bench.registry_bench",
]


def main() -> int:
    rows: list[tuple[str, float, str]] = []
    failed = 0
    for name in SUITES:
        print(f"running {name} …", file=sys.stderr, flush=True)
        try:
            rows.extend(importlib.import_module(name).run())
        except Exception:  # report the suite that broke and keep measuring the others
            traceback.print_exc()
            failed += 1
    width = max((len(label) for label, _, _ in rows), default=10)
    print(f"\n{'benchmark':<{width}}  {'value':>12}  unit")
    print("-" * (width + 30))
    for label, value, unit in rows:
        print(f"{label:<{width}}  {value:>12,.2f}  {unit}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
