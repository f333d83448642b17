"""``python -m services.registry``: serve (no arguments, or ``serve``), or ``legacy-load FILE``.

``legacy-load`` loads an old-regime certificate export into the database of the environment's
settings (created and migrated if needed), prints the counts, and writes the rejected rows'
report next to the file as ``FILE.rejected.csv``. A file it cannot read exits with status 2 and
the reason in Chinese on stderr.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from services.registry.legacy.load import LoadOutcome
    from services.registry.legacy.parse import LegacyExport
    from services.registry.settings import RegistrySettings

__all__ = ["legacy_load", "main"]


def main(argv: Sequence[str] | None = None) -> int:
    from services.kernel.cli import service_main
    from services.registry.app import SPEC

    return service_main(SPEC, argv, commands={"legacy-load": legacy_load})


def legacy_load(path: Path, settings: RegistrySettings) -> int:
    """Load the export at ``path``; 0 when loaded (whatever rows were rejected), 2 when unreadable."""
    from services.kernel.cli import UnusableFileError, read_input, refused, report_beside
    from services.registry.legacy.load import report_of
    from services.registry.legacy.parse import LegacyFileError, read_export

    try:
        export = read_export(read_input(path))
    except (UnusableFileError, LegacyFileError) as exc:
        return refused(str(exc))
    outcome = asyncio.run(_load(export, settings))
    report = report_beside(path, report_of(outcome.rejected))
    sys.stdout.write(
        f"读取 {outcome.read:,} 行：导入 {outcome.loaded:,} 行，拒绝 {len(outcome.rejected):,} 行\n"
        f"被拒绝行的报告：{report}\n"
    )
    return 0


async def _load(export: LegacyExport, settings: RegistrySettings) -> LoadOutcome:
    """On the service's own database (created if missing), its migrations applied first."""
    from services.registry.app import SPEC
    from services.registry.clock import today
    from services.registry.legacy.load import load_export

    async with SPEC.migrated_pool(settings) as pool, pool.acquire() as conn, conn.transaction():
        return await load_export(export, conn=conn, today=today())


if __name__ == "__main__":
    sys.exit(main())
