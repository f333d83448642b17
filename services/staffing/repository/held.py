"""The certificates a unit holds, as staffing keeps them (the registry's Certificate* events):
per certificate its holder and validity, per 专业类别 and 等级 the day from which it is held."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from contracts.registry.events import CertifiedCategory
from contracts.standards.api import HeldQualification
from contracts.standards.transition import held_as
from services.kernel.db import Connection

__all__ = ["HeldCertificates"]


class HeldCertificates:
    _ISSUE = """
    INSERT INTO held_certificates (number, credit_code, unit_id, regime, valid_until, version)
    VALUES ($1, $2, $3, $4, $5, $6)
    ON CONFLICT (number) DO UPDATE SET
        credit_code = excluded.credit_code, unit_id = COALESCE(excluded.unit_id, held_certificates.unit_id),
        regime = excluded.regime, valid_until = excluded.valid_until, version = excluded.version
    WHERE held_certificates.version < excluded.version
    RETURNING number"""
    """A newer version than the one on record (an ended certificate stays ended: ``ended_on`` is
    never set here, but its levels still date what a 复审换证 successor carries again)."""
    _EARLIER = """
    UPDATE held_levels SET since = LEAST(since, $4) WHERE number = $1 AND category = $2 AND level = $3"""
    """An older version arriving after a newer one (each event type has its own consumer, so 发证
    and a later 专业范围变更 of one certificate may be handled in either order)."""
    _LEVELS = "SELECT category, level, since FROM held_levels WHERE number = $1"
    _DROP_LEVELS = "DELETE FROM held_levels WHERE number = $1"
    _ADD_LEVEL = "INSERT INTO held_levels (number, category, level, since) VALUES ($1, $2, $3, $4)"
    _END = """
    INSERT INTO held_certificates (number, credit_code, unit_id, regime, valid_until, version, ended_on, replaced_by)
    VALUES ($1, $2, $3, 'unknown', $4, 0, $4, $5)
    ON CONFLICT (number) DO UPDATE SET
        ended_on = COALESCE(held_certificates.ended_on, excluded.ended_on),
        replaced_by = COALESCE(held_certificates.replaced_by, excluded.replaced_by)"""
    _LINK = "UPDATE held_certificates SET unit_id = $2 WHERE number = $1"
    _OF_UNIT = """
    WITH RECURSIVE chain (number, current) AS (
        SELECT number, true FROM held_certificates
        WHERE ended_on IS NULL AND valid_until >= $2
          AND (unit_id = $1 OR credit_code IN (SELECT credit_code FROM units WHERE unit_id = $1 AND verified))
        UNION
        SELECT before.number, false FROM held_certificates before JOIN chain ON before.replaced_by = chain.number
    )
    SELECT c.regime, l.category, l.level, l.since, chain.current
    FROM chain JOIN held_certificates c USING (number) JOIN held_levels l USING (number)"""
    """The unit's valid certificates (``current``) and, through 复审换证, those they replaced."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    async def record(
        self,
        *,
        number: str,
        credit_code: str,
        unit_id: str | None,
        regime: str,
        categories: Sequence[CertifiedCategory],
        valid_until: dt.date,
        version: int,
        on: dt.date,
    ) -> bool:
        """A version of the certificate (发证, 变更, 补发) with its categories; a (专业类别, 等级)
        already held keeps its day, a new one is held from ``on``. An older version than the one
        on record (handled late) only dates earlier what the newer one still carries, and answers
        False: the categories stay the newer version's, whatever the order of the events."""
        wanted = {(c.category, c.level) for c in categories}
        written = await self._conn.fetchval(self._ISSUE, number, credit_code, unit_id, regime, valid_until, version)
        if written is None:
            await self._conn.executemany(self._EARLIER, [(number, category, level, on) for category, level in wanted])
            return False
        held = {(r["category"], r["level"]): r["since"] for r in await self._conn.fetch(self._LEVELS, number)}
        await self._conn.execute(self._DROP_LEVELS, number)
        await self._conn.executemany(
            self._ADD_LEVEL,
            [(number, category, level, min(held.get((category, level), on), on)) for category, level in wanted],
        )
        return True

    async def end(
        self, *, number: str, credit_code: str, unit_id: str | None, on: dt.date, replaced_by: str | None = None
    ) -> None:
        """已注销, 已换证 (by ``replaced_by``) or 已过期 from ``on``: no longer held (kept as ended,
        never revived; a replaced one still dates what its successor carries again)."""
        await self._conn.execute(self._END, number, credit_code, unit_id, on, replaced_by)

    async def link(self, *, number: str, unit_id: str) -> None:
        await self._conn.execute(self._LINK, number, unit_id)

    async def of_unit(self, unit_id: str, *, on: dt.date) -> list[HeldQualification]:
        """The 2021 (专业类别, 等级) the unit holds on ``on``, each since the earliest day any of
        its valid certificates carries it (an old-regime one as the transition data counts it), or
        any certificate they replaced by 复审换证 carried it."""
        held: set[tuple[str, str]] = set()
        earliest: dict[tuple[str, str], dt.date] = {}
        for row in await self._conn.fetch(self._OF_UNIT, unit_id, on):
            counted = held_as(row["regime"], row["category"], row["level"], row["since"])
            if counted is not None:
                category, level, since = counted
                if row["current"]:
                    held.add((category, level))
                earliest[category, level] = min(since, earliest.get((category, level), since))
        earliest = {key: since for key, since in earliest.items() if key in held}
        return [
            HeldQualification(category=category, level=level, since=since)
            for (category, level), since in sorted(earliest.items())
        ]
