"""Properties of the engine: monotone in the unit's facts, 不累加 across categories, deterministic."""

from __future__ import annotations

import datetime
import random

import msgspec
from hypothesis import given, settings
from hypothesis import strategies as st

from contracts.standards.api import (
    EquipmentHolding,
    EvaluateRequest,
    Evaluation,
    HeldQualification,
    ProjectRecord,
    StaffMember,
)
from tests.unit.standards.standards_builders import DAY, run, standard

STD = standard()
CATEGORIES = sorted(STD.categories)
LEVELS = sorted(STD.levels)
TYPES = sorted(STD.equipment_types)
PAIRS = sorted(STD.table)
dates = st.dates(min_value=datetime.date(2019, 1, 1), max_value=datetime.date(2027, 12, 31))
application_dates = st.dates(min_value=STD.effective_from, max_value=datetime.date(2027, 12, 31))

people = st.builds(
    lambda major, title, countable: (major, title, countable),
    st.sampled_from(["测绘", "相关"]),
    st.sampled_from(["高级", "中级", "初级", None]),
    st.booleans(),
)
equipment = st.builds(EquipmentHolding, type=st.sampled_from(TYPES), count=st.integers(0, 40), countable=st.booleans())
held = st.builds(HeldQualification, category=st.sampled_from(CATEGORIES), level=st.sampled_from(LEVELS), since=dates)
projects = st.builds(
    ProjectRecord,
    category=st.sampled_from(CATEGORIES),
    amount_wan=st.integers(0, 70_000).map(lambda cents: cents / 100),
    completed_on=dates,
)


@st.composite
def applications(draw: st.DrawFn) -> EvaluateRequest:
    wanted = draw(st.lists(st.sampled_from(PAIRS), min_size=1, max_size=4, unique=True))
    return msgspec.convert(
        {
            "application_date": draw(application_dates),
            "requests": [{"category": category, "level": level} for category, level in wanted],
            "staff": [
                {"id": f"p{i}", "major": m, "title": t, "countable": c}
                for i, (m, t, c) in enumerate(draw(st.lists(people, max_size=90)))
            ],
            "equipment": msgspec.to_builtins(draw(st.lists(equipment, max_size=30))),
            "held": msgspec.to_builtins(draw(st.lists(held, max_size=4))),
            "projects": msgspec.to_builtins(draw(st.lists(projects, max_size=12))),
        },
        EvaluateRequest,
    )


def _statuses(result: Evaluation) -> list[list[tuple[str, str]]]:
    return [[(item.id, item.status) for item in verdict.requirements] for verdict in result.results]


def _never_lost(before: Evaluation, after: Evaluation, status: str) -> bool:
    """Every requirement (and verdict) that had ``status`` before still has it after."""
    pairs = zip(_statuses(before), _statuses(after), strict=True)
    kept = all(dict(a)[key] == status for b, a in pairs for key, value in b if value == status)
    verdicts = zip(before.results, after.results, strict=True)
    return kept and all(a.status == status for b, a in verdicts if b.status == status)


def _with(request: EvaluateRequest, **changes: object) -> EvaluateRequest:
    return msgspec.structs.replace(request, **changes)


@settings(max_examples=150, deadline=None)
@given(applications(), people, st.data())
def test_adding_a_countable_person_never_turns_pass_into_fail(
    request: EvaluateRequest, extra: tuple[str, str | None, bool], data: st.DataObject
) -> None:
    major, title, _ = extra
    newcomer = StaffMember(id="newcomer", major=major, title=title, countable=True)  # type: ignore[arg-type]
    at = data.draw(st.integers(0, len(request.staff)))
    grown = _with(request, staff=[*request.staff[:at], newcomer, *request.staff[at:]])
    assert _never_lost(run(request), run(grown), "pass")


@settings(max_examples=150, deadline=None)
@given(applications(), equipment, projects, held)
def test_adding_an_instrument_a_project_or_a_held_level_never_turns_pass_into_fail(
    request: EvaluateRequest, instrument: EquipmentHolding, record: ProjectRecord, holding: HeldQualification
) -> None:
    before = run(request)
    counted = msgspec.structs.replace(instrument, countable=True)
    assert _never_lost(before, run(_with(request, equipment=[*request.equipment, counted])), "pass")
    assert _never_lost(before, run(_with(request, projects=[*request.projects, record])), "pass")
    assert _never_lost(before, run(_with(request, held=[*request.held, holding])), "pass")


@settings(max_examples=150, deadline=None)
@given(applications(), st.data())
def test_making_an_item_uncountable_never_turns_fail_into_pass(request: EvaluateRequest, data: st.DataObject) -> None:
    before = run(request)
    if request.staff:
        i = data.draw(st.integers(0, len(request.staff) - 1))
        staff = list(request.staff)
        staff[i] = msgspec.structs.replace(staff[i], countable=False)
        assert _never_lost(before, run(_with(request, staff=staff)), "fail")
    if request.equipment:
        i = data.draw(st.integers(0, len(request.equipment) - 1))
        items = list(request.equipment)
        items[i] = msgspec.structs.replace(items[i], countable=False)
        assert _never_lost(before, run(_with(request, equipment=items)), "fail")


@settings(max_examples=150, deadline=None)
@given(applications())
def test_a_multi_category_verdict_equals_the_individual_verdicts(request: EvaluateRequest) -> None:
    together = run(request)
    for wanted, verdict in zip(request.requests, together.results, strict=True):
        alone = run(_with(request, requests=[wanted]))
        assert alone.results == [verdict]
    worst = {verdict.status for verdict in together.results}
    expected = "fail" if worst & {"fail", "not_available"} else "incomplete" if "incomplete" in worst else "pass"
    assert together.overall == expected


@settings(max_examples=100, deadline=None)
@given(applications(), st.randoms(use_true_random=False))
def test_evaluation_is_deterministic_and_ignores_the_order_of_facts(
    request: EvaluateRequest, shuffler: random.Random
) -> None:
    first = msgspec.json.encode(run(request))
    assert msgspec.json.encode(run(request)) == first
    shuffled = {
        name: shuffler.sample(getattr(request, name), len(getattr(request, name)))
        for name in ("staff", "equipment", "held", "projects")
    }
    assert msgspec.json.encode(run(_with(request, **shuffled))) == first


def test_the_strategies_reach_every_verdict() -> None:
    """Guards the properties above against vacuity: generated applications do pass and fail."""
    everything = [StaffMember(id=f"p{i}", major="测绘", title="高级", countable=True) for i in range(100)]
    gear = [EquipmentHolding(type=name, count=40, countable=True) for name in TYPES]
    record = [ProjectRecord(category=name, amount_wan=600, completed_on=DAY) for name in CATEGORIES]
    since = [HeldQualification(category=name, level="乙级", since=datetime.date(2020, 1, 1)) for name in CATEGORIES]
    wanted = [{"category": category, "level": level} for category, level in PAIRS]
    request = msgspec.convert({"application_date": DAY, "requests": wanted}, EvaluateRequest, strict=False)
    statuses = {
        v.status for v in run(_with(request, staff=everything, equipment=gear, projects=record, held=since)).results
    }
    assert statuses == {"pass", "incomplete", "not_available"}
    assert {v.status for v in run(request).results} == {"fail", "incomplete", "not_available"}
