"""The qualifications a unit holds, kept by staffing from the registry's certificate events (issue
18, defect 1), and what 满足情况 makes of them: 乙级 held 24 months with the staff, equipment and
650万元 of 业绩 that 测绘航空摄影 甲级 needs passes; 23 months is refused naming 满2年; an old-regime
乙级 counts from its 发证日期, for its unit found by the credit code (UnitVerified) or linked
later (CertificateLinked); a cancelled, replaced or expired certificate no longer counts."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from typing import Any

import pytest

from contracts.base import Event
from contracts.identity.events import UnitVerified
from contracts.registry.events import (
    CertificateCancelled,
    CertificateChanged,
    CertificateExpired,
    CertificateLinked,
    CertificateReplaced,
    CertifiedCategory,
)
from services.kernel.nats import NatsLink
from services.staffing.clock import today
from services.staffing.protection import Protector
from tests.builders.registry import certificate_issued, months_before
from tests.fixtures.waiting import eventually

from .conftest import Headers, Roster
from .roster_rows import insert_aerial_jia_roster
from .test_consumers import fetch, publish

UnitHeaders = Callable[..., Headers]
AERIAL = "测绘航空摄影"
JIA = [{"category": AERIAL, "level": "甲级"}]
TODAY = today()


def months_ago(months: int) -> dt.date:
    return months_before(TODAY, months)


async def aerial_jia_roster(roster: Roster, protector: Protector, unit_id: str) -> None:
    conn = await roster.db()
    try:
        await insert_aerial_jia_roster(conn, protector, unit_id)
    finally:
        await conn.close()


async def delivered(roster: Roster, link: NatsLink, *events: Event) -> None:
    """Publish ``events`` and wait until staffing has committed every one."""
    for event in events:
        await publish(link, event)
    wanted = {event.event_id for event in events}

    async def done() -> bool:
        return wanted <= {row["event_id"] for row in await fetch(roster, "SELECT event_id FROM inbox")}

    await eventually(done)


def replaced(number: str, *, by: str, unit_id: str, credit_code: str) -> CertificateReplaced:
    """复审换证 today: ``number`` replaced by ``by``."""
    return CertificateReplaced(
        aggregate_id=number,
        number=number,
        unit_id=unit_id,
        replaced_by=by,
        replaced_on=TODAY,
        certificate_id=str(uuid.uuid4()),
        credit_code=credit_code,
    )


async def prerequisite(roster: Roster, headers: Headers) -> tuple[dict[str, Any], str]:
    """The 乙级满2年 requirement of 测绘航空摄影 甲级 today, and the overall verdict."""
    answer = await roster.client.post("/fulfilment", json={"requests": JIA}, headers=headers)
    assert answer.status_code == 200, answer.text
    (result,) = answer.json()["results"]
    [held] = [r for r in result["requirements"] if r["id"] == "performance.prerequisite"]
    return held, answer.json()["overall"]


async def test_24_months_of_yi_pass_and_23_are_refused_naming_man_2_nian(
    roster: Roster, protector: Protector, unit_headers: UnitHeaders, link: NatsLink
) -> None:
    full, short = str(uuid.uuid4()), str(uuid.uuid4())
    for unit_id in (full, short):
        await aerial_jia_roster(roster, protector, unit_id)
    code = "91110108MA01ABCD1X"
    await delivered(
        roster,
        link,
        certificate_issued("乙测资字11000101", since=months_ago(24), unit_id=full, credit_code=code),
        certificate_issued("乙测资字11000102", since=months_ago(23), unit_id=short, credit_code=code),
    )
    held, overall = await prerequisite(roster, unit_headers(full))
    assert (held["status"], held["actual"], overall) == ("pass", 24, "pass")
    held, overall = await prerequisite(roster, unit_headers(short))
    assert (held["status"], held["actual"], overall) == ("fail", 23, "fail")
    assert "满2年" in held["message"]


async def test_an_ended_certificate_is_no_longer_held(
    roster: Roster, protector: Protector, unit_headers: UnitHeaders, link: NatsLink
) -> None:
    units = [str(uuid.uuid4()) for _ in range(3)]
    numbers = [f"乙测资字1100020{i}" for i in range(3)]
    code = "91110108MA01ABCD1X"
    await delivered(
        roster,
        link,
        *(
            certificate_issued(n, since=months_ago(30), unit_id=u, credit_code=code)
            for n, u in zip(numbers, units, strict=True)
        ),
    )
    for unit_id in units:
        held, _ = await prerequisite(roster, unit_headers(unit_id))
        assert (held["status"], held["actual"]) == ("pass", 30)
    certificate_id = str(uuid.uuid4())
    await delivered(
        roster,
        link,
        CertificateCancelled(
            aggregate_id=numbers[0],
            number=numbers[0],
            unit_id=units[0],
            certificate_type="乙级资质证书",
            cancelled_on=TODAY,
            reason="单位申请注销",
            certificate_id=certificate_id,
            credit_code=code,
        ),
        replaced(numbers[1], by="甲测资字11000001", unit_id=units[1], credit_code=code),
        CertificateExpired(
            aggregate_id=numbers[2],
            number=numbers[2],
            unit_id=units[2],
            certificate_type="乙级资质证书",
            expired_on=TODAY,
            certificate_id=certificate_id,
            credit_code=code,
        ),
    )
    for unit_id in units:
        held, overall = await prerequisite(roster, unit_headers(unit_id))
        assert (held["status"], held["actual"], overall) == ("fail", 0, "fail")
    rows = await fetch(
        roster, "SELECT number FROM held_certificates WHERE ended_on IS NULL AND number = ANY($1)", numbers
    )
    assert rows == []


@pytest.mark.parametrize("changed_first", [False, True], ids=["issued-first", "changed-first"])
async def test_a_category_added_later_is_held_from_the_change(
    roster: Roster, unit_headers: UnitHeaders, link: NatsLink, changed_first: bool
) -> None:
    """发证 and 专业范围变更 have consumers of their own, so staffing may handle them in either order."""
    unit_id, code = str(uuid.uuid4()), "91110108MA01ABCD1X"
    number = f"乙测资字1100030{int(changed_first)}"
    first = certificate_issued(number, since=months_ago(30), unit_id=unit_id, credit_code=code)
    changed = CertificateChanged(
        aggregate_id=number,
        certificate_id=first.certificate_id,
        number=number,
        unit_id=unit_id,
        credit_code=code,
        certificate_type="乙级资质证书",
        change="专业范围变更",
        categories=[*first.categories, CertifiedCategory(category="大地测量", level="乙级")],
        issued_on=months_ago(6),
        valid_until=first.valid_until,
        certificate_version=2,
    )
    for event in (changed, first) if changed_first else (first, changed):
        await delivered(roster, link, event)
    held, _ = await prerequisite(roster, unit_headers(unit_id))
    assert held["actual"] == 30  # the category it had keeps its day
    answer = await roster.client.post(
        "/fulfilment", json={"requests": [{"category": "大地测量", "level": "甲级"}]}, headers=unit_headers(unit_id)
    )
    (result,) = answer.json()["results"]
    assert [r["actual"] for r in result["requirements"] if r["id"] == "performance.prerequisite"] == [6]


async def test_an_old_regime_yi_counts_from_its_issue_for_the_unit_of_its_credit_code(
    roster: Roster, unit_headers: UnitHeaders, link: NatsLink
) -> None:
    unit_id, number, code = str(uuid.uuid4()), "乙测资字1100471", "91110108MA01LEGA1X"
    legacy = certificate_issued(number, since=dt.date(2018, 3, 20), unit_id=None, credit_code=code, regime="legacy")
    await roster.add_unit(unit_id, "北京老测绘院", code)
    await delivered(roster, link, legacy)
    held, _ = await prerequisite(roster, unit_headers(unit_id))
    assert held["actual"] == 0  # the credit code is only claimed until identity verifies the unit

    verified = UnitVerified(
        aggregate_id=unit_id, unit_id=unit_id, unit_name="北京老测绘院", credit_code=code, application_id="a-1"
    )
    await delivered(roster, link, verified)
    held, _ = await prerequisite(roster, unit_headers(unit_id))
    months = (TODAY.year - 2018) * 12 + TODAY.month - 3 - (TODAY.day < 20)
    assert (held["status"], held["actual"]) == ("pass", months)

    linked_unit, linked_number = str(uuid.uuid4()), "乙测资字1100472"
    await delivered(
        roster,
        link,
        certificate_issued(
            linked_number, since=dt.date(2018, 3, 20), unit_id=None, credit_code="91110108MA01QTHR1X", regime="legacy"
        ),
    )
    await delivered(
        roster,
        link,
        CertificateLinked(
            aggregate_id=linked_number,
            certificate_id=str(uuid.uuid4()),
            number=linked_number,
            unit_id=linked_unit,
            credit_code="91110108MA01QTHR1X",
        ),
    )
    held, _ = await prerequisite(roster, unit_headers(linked_unit))
    assert (held["status"], held["actual"]) == ("pass", months)


async def test_yi_held_before_a_fu_shen_huan_zheng_still_counts_on_the_new_certificate(
    roster: Roster, unit_headers: UnitHeaders, link: NatsLink
) -> None:
    """复审换证 exchanges an old-regime 乙级 for a 2021 one: 乙级满2年 does not start over. A
    category the new certificate does not carry again is not held through the old one."""
    unit_id, code = str(uuid.uuid4()), "91110108MA01HZHG1X"
    old, new = "乙测资字1100481", "乙测资字11000481"
    await delivered(
        roster,
        link,
        certificate_issued(old, since=months_ago(40), unit_id=unit_id, credit_code=code, regime="legacy"),
    )
    await delivered(
        roster,
        link,
        replaced(old, by=new, unit_id=unit_id, credit_code=code),
        certificate_issued(new, since=TODAY, unit_id=unit_id, credit_code=code),
    )
    held, _ = await prerequisite(roster, unit_headers(unit_id))
    assert (held["status"], held["actual"]) == ("pass", 40)

    other_unit, other_old, other_new = str(uuid.uuid4()), "乙测资字1100482", "乙测资字11000482"
    await delivered(
        roster,
        link,
        certificate_issued(other_old, since=months_ago(40), unit_id=other_unit, credit_code=code, regime="legacy"),
        replaced(other_old, by=other_new, unit_id=other_unit, credit_code=code),
        certificate_issued(other_new, since=TODAY, unit_id=other_unit, credit_code=code, categories=("工程测量",)),
    )
    held, _ = await prerequisite(roster, unit_headers(other_unit))
    assert (held["status"], held["actual"]) == ("fail", 0)
