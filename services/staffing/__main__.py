"""``python -m services.staffing``: serve (no arguments, or ``serve``), or ``legacy-load FILE``.

``legacy-load`` loads the old system's staff export (老人老办法, manual 5.5.1) into the database
of the environment's settings (created and migrated if needed; STAFFING_DATA_KEY and
STAFFING_HASH_KEY seal and hash the numbers), prints the counts, and writes the rejected rows'
report next to the file as ``FILE.rejected.csv``. A file it cannot read exits with status 2 and
the reason in Chinese on stderr.

The imports are inside the functions: multiprocessing re-runs ``__main__`` in each worker process
of a load, which must not pay for importing the web framework (seconds) to seal a few rows.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from services.staffing.legacy.load import LoadOutcome
    from services.staffing.legacy.parse import Export
    from services.staffing.settings import StaffingSettings

__all__ = ["legacy_load", "main"]

LOADED_BY = "命令行导入"
"""legacy_loads.loaded_by of a load from this command (an administrator reads its report)."""


def main(argv: Sequence[str] | None = None) -> int:
    from services.kernel.cli import service_main
    from services.staffing.app import SPEC
    from services.staffing.protection import Protector

    def keys_usable(settings: StaffingSettings) -> None:
        Protector(settings.staffing_data_key, settings.staffing_hash_key)  # ValueError names the bad key

    return service_main(SPEC, argv, commands={"legacy-load": legacy_load}, check=keys_usable)


def legacy_load(path: Path, settings: StaffingSettings) -> int:
    """Load the export at ``path``; 0 when loaded (whatever rows were rejected), 2 when unreadable."""
    from services.kernel.cli import UnusableFileError, read_input, refused, report_beside
    from services.staffing.errors import InvalidLegacyFileError
    from services.staffing.legacy.parse import read_export

    try:
        export = read_export(read_input(path))
    except UnusableFileError as exc:
        return refused(str(exc))
    except InvalidLegacyFileError as exc:
        return refused(exc.message)
    outcome = asyncio.run(_load(export, settings, filename=path.name))
    report = report_beside(path, outcome.report)
    sys.stdout.write(
        f"读取 {outcome.rows:,} 行：导入 {outcome.accepted:,} 行，拒绝 {outcome.rejected:,} 行"
        f"（其中重复 {outcome.duplicates:,} 行）\n被拒绝行的报告：{report}\n导入批次：{outcome.id}\n"
    )
    return 0


async def _load(export: Export, settings: StaffingSettings, *, filename: str) -> LoadOutcome:
    """On the service's own database (created if missing), its migrations applied first."""
    from services.staffing.app import SPEC
    from services.staffing.clock import today
    from services.staffing.legacy.load import load_export
    from services.staffing.legacy.sealing import Keys

    async with SPEC.migrated_pool(settings) as pool, pool.acquire() as conn, conn.transaction():
        return await load_export(
            export,
            conn=conn,
            filename=filename,
            loaded_by=LOADED_BY,
            keys=Keys(settings.staffing_data_key, settings.staffing_hash_key),
            on=today(),
        )


if __name__ == "__main__":
    sys.exit(main())
