"""The kernel's guards and the jurisdiction rule every service uses, checked against an oracle."""

from __future__ import annotations

import asyncio
import inspect
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from contracts.auth import Caller
from services.kernel import (
    ForbiddenError,
    UnauthorizedError,
    authority_scope,
    covers,
    may_act_in,
    province_of_credit_code,
    service_only,
    signed_in,
    system_only,
    unit_scope,
)
from services.kernel.jurisdiction import division_prefix

ROLES = ("unit", "authority", "admin", "system")
AUTHORITY_ROLES = ("acceptance", "review", "approval")
PROVINCES = ("110000", "120000", "310000", "440000", "650000")
DIVISIONS = (*PROVINCES, "000000", "110100", "110105", "440300", "440305", "1100", "abcdef", "", None)


class Connection:
    """What a guard reads: the verified caller on the ASGI scope (or none)."""

    def __init__(self, caller: Caller | None) -> None:
        self.scope: dict[str, Any] = {"state": {"caller": caller} if caller else {}}


callers = st.builds(
    Caller,
    account_id=st.sampled_from(["a1", "service:staffing", "gateway"]),
    role=st.sampled_from(ROLES),
    unit_id=st.sampled_from([None, "", "u1"]),
    jurisdiction=st.sampled_from(DIVISIONS),
    roles=st.lists(st.sampled_from(AUTHORITY_ROLES), unique=True, max_size=3).map(tuple),
)


def run(guard: Any, caller: Caller | None) -> None:
    """Call a guard as Litestar does (every guard is a coroutine: no thread hop per request)."""
    assert inspect.iscoroutinefunction(guard)
    asyncio.run(guard(Connection(caller), None))


def passes(guard: Any, caller: Caller | None) -> bool:
    try:
        run(guard, caller)
    except ForbiddenError:
        return False
    return True


@given(callers)
def test_unit_scope_passes_exactly_unit_users_with_a_unit(caller: Caller) -> None:
    assert passes(unit_scope, caller) == (caller.role == "unit" and bool(caller.unit_id))


@given(callers)
def test_system_only_passes_exactly_the_platform(caller: Caller) -> None:
    assert passes(system_only, caller) == (caller.role == "system")


@given(callers)
def test_service_only_passes_exactly_a_service_acting_for_itself(caller: Caller) -> None:
    assert passes(service_only, caller) == (caller.role == "system" and caller.account_id.startswith("service:"))


@given(callers)
def test_signed_in_passes_every_account_but_not_the_platform(caller: Caller) -> None:
    assert passes(signed_in, caller) == (caller.role != "system")


@given(callers, st.lists(st.sampled_from(AUTHORITY_ROLES), unique=True, max_size=2))
def test_authority_scope_passes_authorities_with_a_jurisdiction_and_a_named_role(
    caller: Caller, wanted: list[str]
) -> None:
    oracle = (
        caller.role in ("authority", "admin")
        and caller.jurisdiction is not None
        and len(caller.jurisdiction) == 6
        and caller.jurisdiction.isdigit()
        and (not wanted or bool(set(wanted) & set(caller.roles)))
    )
    assert passes(authority_scope(*wanted), caller) == oracle  # type: ignore[arg-type]


@pytest.mark.parametrize("guard", [unit_scope, system_only, service_only, signed_in, authority_scope()])
def test_no_caller_is_401(guard: Any) -> None:
    with pytest.raises(UnauthorizedError):
        run(guard, None)


def test_the_refusals_name_what_is_missing() -> None:
    reviewer = Caller(account_id="a", role="authority", jurisdiction="110000", roles=("review",))
    with pytest.raises(ForbiddenError) as refused:
        run(authority_scope("approval"), reviewer)
    assert refused.value.code == "role_required"
    with pytest.raises(ForbiddenError) as refused:
        run(unit_scope, reviewer)
    assert refused.value.code == "unit_only"


@pytest.mark.parametrize(
    ("authority", "resource", "expected"),
    [
        ("000000", "110105", True),
        ("000000", "650000", True),
        ("110000", "110000", True),
        ("110000", "110105", True),
        ("110000", "120000", False),
        ("110100", "110105", True),
        ("110100", "110200", False),
        ("110100", "110000", False),
        ("110105", "110105", True),
        ("110105", "110106", False),
        ("11000", "110105", False),
        ("110000", "1101", False),
        (None, "110000", False),
        ("110000", None, False),
        ("ab0000", "ab0000", False),
    ],
)
def test_a_jurisdiction_covers_the_divisions_inside_it(authority: Any, resource: Any, expected: bool) -> None:
    assert covers(authority, resource) is expected


@given(st.sampled_from(DIVISIONS), st.sampled_from(DIVISIONS))
def test_covering_is_a_prefix_rule_on_valid_codes(authority: Any, resource: Any) -> None:
    valid = all(isinstance(code, str) and len(code) == 6 and code.isdigit() for code in (authority, resource))
    assert covers(authority, resource) == (valid and resource.startswith(division_prefix(authority)))


@given(callers, st.sampled_from(PROVINCES))
def test_only_authorities_act_in_a_jurisdiction(caller: Caller, province: str) -> None:
    expected = caller.role in ("authority", "admin") and covers(caller.jurisdiction, province)
    assert may_act_in(caller, province) == expected


def test_the_province_of_a_unit_comes_from_its_credit_code() -> None:
    assert province_of_credit_code("91110105MA01ABCD1X") == "110000"
    assert province_of_credit_code("91440300708461136T") == "440000"
    with pytest.raises(ValueError):
        province_of_credit_code("91000000MA01ABCD1X")
