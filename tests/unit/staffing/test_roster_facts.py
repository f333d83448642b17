"""The countable facts of a roster as the standards service takes them, and a snapshot's content."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

from contracts.standards.api import EquipmentHolding, HeldQualification, ProjectRecord, StaffMember
from services.staffing.model.completeness import Attached
from services.staffing.model.roster import InstrumentEntry, ProjectEntry, Roster, StaffEntry, facts
from services.staffing.model.snapshot import PersonRecord, RosterRecords, WorkRecord, freeze, masked

ON = dt.date(2025, 6, 30)
NOW = dt.datetime(2025, 6, 1, 8, 0, tzinfo=dt.UTC)


def docs(*purposes: str, usable: bool = True) -> tuple[Attached, ...]:
    return tuple(Attached(purpose, str(uuid.uuid4()), usable) for purpose in purposes)


EVERYONE = ("社保缴纳证明", "身份证")
SURVEYOR_DOCS = docs("职称证书", *EVERYONE)
INSTRUMENT_DOCS = docs("检定证书", "购置发票")
PROJECT_DOCS = docs("项目合同", "验收证明")


def surveyor(
    title: str | None = "高级", attached: tuple[Attached, ...] = SURVEYOR_DOCS, *, retired: bool = False
) -> StaffEntry:
    return StaffEntry(str(uuid.uuid4()), "测绘专业技术人员", title, retired, None, attached)


def instrument(
    kind: str = "全站仪", valid_until: dt.date | None = ON, attached: tuple[Attached, ...] = INSTRUMENT_DOCS
) -> InstrumentEntry:
    return InstrumentEntry(str(uuid.uuid4()), kind, valid_until, attached)


def test_a_complete_surveyor_counts_in_the_tier_of_the_title() -> None:
    person = surveyor("中级")
    assert facts(Roster(staff=[person]), on=ON).staff == [
        StaffMember(id=person.id, major="测绘", title="中级", countable=True)
    ]


def test_a_related_person_is_sent_as_related_and_a_non_professional_is_not_sent() -> None:
    related = StaffEntry(str(uuid.uuid4()), "相关专业技术人员", "中级", False, None, docs("学历证书", *EVERYONE))
    other = StaffEntry(str(uuid.uuid4()), "非专业技术人员", None, False, None, docs(*EVERYONE))
    assert facts(Roster(staff=[related, other]), on=ON).staff == [
        StaffMember(id=related.id, major="相关", title=None, countable=True)
    ]


def test_an_incomplete_person_is_sent_but_does_not_count() -> None:
    missing = surveyor(attached=docs("职称证书", "身份证"))
    deleted = surveyor(attached=(*docs("职称证书", "身份证"), *docs("社保缴纳证明", usable=False)))
    retired = surveyor(retired=True)  # 退休材料 and 劳务合同 missing
    staff = facts(Roster(staff=[missing, deleted, retired, surveyor()]), on=ON).staff
    assert [member.countable for member in staff] == [False, False, False, True]


def test_instruments_are_grouped_by_type_countable_first() -> None:
    instruments = [
        instrument("全站仪"),
        instrument("全站仪", valid_until=ON - dt.timedelta(days=1)),  # expired the day before
        instrument("全站仪", valid_until=None),
        instrument("GNSS接收机", attached=docs("购置发票")),  # no 检定证书
        instrument("全站仪"),
        instrument("地理信息处理软件", valid_until=None, attached=docs("购置发票")),  # software: no calibration
    ]
    assert facts(Roster(instruments=instruments), on=ON).equipment == [
        EquipmentHolding(type="GNSS接收机", count=1, countable=False),
        EquipmentHolding(type="全站仪", count=2, countable=True),
        EquipmentHolding(type="全站仪", count=2, countable=False),
        EquipmentHolding(type="地理信息处理软件", count=1, countable=True),
    ]


def test_only_complete_projects_are_sent_with_the_amount_as_a_number() -> None:
    done = ProjectEntry(str(uuid.uuid4()), "工程测量", Decimal("120.50"), dt.date(2024, 5, 1), PROJECT_DOCS)
    unaccepted = ProjectEntry(str(uuid.uuid4()), "工程测量", Decimal("900"), dt.date(2024, 6, 1), docs("项目合同"))
    assert facts(Roster(projects=[done, unaccepted]), on=ON).projects == [
        ProjectRecord(category="工程测量", amount_wan=120.5, completed_on=dt.date(2024, 5, 1))
    ]


def test_held_qualifications_are_passed_on() -> None:
    held = [HeldQualification(category="工程测量", level="乙级", since=dt.date(2019, 1, 1))]
    assert facts(Roster(held=held), on=ON).held == held


def person_record(person_id: uuid.UUID, *, sealed: bytes) -> PersonRecord:
    return PersonRecord(
        id=person_id,
        unit_id="u-1",
        name="张三",
        id_type="居民身份证",
        id_number_enc=sealed,
        id_number_masked="110101********123X",
        category="测绘专业技术人员",
        gender="男",
        birth_date=dt.date(1985, 5, 1),
        title_level="高级",
        title_name="高级工程师",
        major="测绘工程",
        education="大学本科",
        school="武汉大学",
        retired=False,
        hired_on=None,
        substitute_reason=None,
        source="填报",
        created_at=NOW,
        updated_at=NOW,
    )


def test_a_snapshot_holds_full_numbers_usable_documents_and_the_facts() -> None:
    person_id, work_id = uuid.uuid4(), uuid.uuid4()
    lost = docs("验收证明", usable=False)
    work = WorkRecord(
        id=work_id,
        unit_id="u-1",
        name="地形图测绘",
        category="工程测量",
        amount_wan=Decimal("88.5"),
        client="某局",
        signed_on=dt.date(2024, 1, 1),
        completed_on=dt.date(2024, 6, 1),
        created_at=NOW,
        updated_at=NOW,
    )
    records = RosterRecords(
        persons=[person_record(person_id, sealed=b"sealed")],
        projects=[work],
        attached={person_id: SURVEYOR_DOCS, work_id: (*docs("项目合同"), *lost)},
    )
    content = freeze(records, on=ON, reveal=lambda sealed: "11010119850501123X" if sealed == b"sealed" else "?")
    (person,) = content.persons
    assert (person.id_number, person.id_number_masked, person.complete) == (
        "11010119850501123X",
        "110101********123X",
        True,
    )
    (project,) = content.projects
    assert (project.amount_wan, project.complete) == ("88.50", False)
    assert [p.code for p in project.problems] == ["document_deleted"]
    usable = {a.document_id for a in (*SURVEYOR_DOCS, *records.attached[work_id]) if a.usable}
    assert content.document_ids == sorted(usable) and lost[0].document_id not in content.document_ids
    assert content.facts.staff == [StaffMember(id=str(person_id), major="测绘", title="高级", countable=True)]
    assert content.facts.projects == []
    assert masked(content).persons[0].id_number is None
    assert masked(content).persons[0].id_number_masked == "110101********123X"
