"""``python -m services.applications calendar load FILE``: load a year's 放假安排 from a file.

FILE is JSON: ``{"year": 2027, "source": "国办发明电〔2026〕N号", "rest_days": [{"day": "2027-01-01",
"name": "元旦"}, …], "work_days": [{"day": "…", "name": "…"}]}`` — the body of PUT /calendar/{year}
plus its year (services/applications/data/holidays/README.md). The year is replaced, checked first;
a bad file exits with status 2 and the reason in Chinese on stderr.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Sequence
from pathlib import Path

import msgspec

from contracts.applications.review_api import CalendarNotice, CalendarYear
from contracts.auth import Caller
from services.kernel import DomainError, SettingsError, UnitOfWork

from .settings import ApplicationsSettings

__all__ = ["USAGE", "main"]

USAGE = "usage: python -m services.applications [serve | calendar load FILE]\n"
OPERATOR = Caller(account_id="cli", role="admin", username="命令行载入", jurisdiction="000000")


class CalendarFile(CalendarNotice, kw_only=True):
    year: int


def main(args: Sequence[str]) -> int:
    if len(args) != 3 or list(args[:2]) != ["calendar", "load"]:
        sys.stderr.write(USAGE)
        return 2
    try:
        notice = msgspec.json.decode(Path(args[2]).read_bytes(), type=CalendarFile)
    except OSError as exc:
        return _refuse(f"无法读取文件 {args[2]}：{exc.strerror or exc}")
    except (msgspec.ValidationError, msgspec.DecodeError) as exc:
        return _refuse(f"放假安排文件格式有误：{exc}")
    from .app import SPEC

    try:
        settings = SPEC.settings()
    except SettingsError as exc:
        return _refuse(f"applications: bad setting {exc}", status=1)
    try:
        loaded = asyncio.run(_load(notice, settings))
    except DomainError as exc:
        return _refuse(exc.message)
    sys.stdout.write(
        f"已载入{loaded.year}年放假安排（{loaded.source}）：休息日 {len(loaded.rest_days)} 天，"
        f"调休上班 {len(loaded.work_days)} 天\n"
    )
    return 0


async def _load(notice: CalendarFile, settings: ApplicationsSettings) -> CalendarYear:
    from .app import SPEC
    from .data.workflow import workflow
    from .handlers.calendar import load_year

    body = CalendarNotice(source=notice.source, rest_days=notice.rest_days, work_days=notice.work_days)
    async with SPEC.migrated_pool(settings) as pool:
        return await load_year(notice.year, body, OPERATOR, uow=UnitOfWork(pool), limits=workflow().deadline_limits)


def _refuse(message: str, *, status: int = 2) -> int:
    sys.stderr.write(f"{message}\n")
    return status
