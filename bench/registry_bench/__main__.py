"""``python -m bench.registry_bench``: the registry figures alone."""

from __future__ import annotations

from . import run

for label, value, unit in run():
    print(f"{label:<60} {value:>12,.2f}  {unit}")
