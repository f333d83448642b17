"""Jurisdiction: whether an authority's GB/T 2260 division covers a resource's, and a unit's default.

A division code has six digits: two for the province, two for the city, two for the county;
trailing ``00`` pairs mean "the whole of". ``000000`` is 自然资源部, which covers the country.
An authority covers a resource when the resource's code lies inside the authority's division:
``110000`` (北京市) covers ``110105``; ``110100`` covers ``110105`` but not ``120000``.
"""

from __future__ import annotations

import re

from contracts.auth import Caller
from contracts.divisions import NATIONAL

__all__ = [
    "NATIONAL",  # re-exported from contracts.divisions: 自然资源部, the whole country
    "covers",
    "division_prefix",
    "is_division_code",
    "may_act_in",
    "province_of_credit_code",
]

_CODE = re.compile(r"^[0-9]{6}$")


def is_division_code(code: str | None) -> bool:
    """Six digits (a GB/T 2260 code such as ``110000``, or ``000000`` for the whole country)."""
    return code is not None and _CODE.match(code) is not None


def division_prefix(code: str) -> str:
    """The significant digits: ``110000`` → ``11``, ``110100`` → ``1101``, ``000000`` → ````."""
    if not is_division_code(code):
        raise ValueError(f"not a division code: {code!r}")
    prefix = code
    while prefix.endswith("00"):
        prefix = prefix[:-2]
    return prefix


def covers(authority: str | None, resource: str | None) -> bool:
    """Whether the division ``authority`` contains the division ``resource`` (both six digits).

    Malformed or missing codes cover nothing and are covered by nothing.
    """
    if not is_division_code(authority) or not is_division_code(resource):
        return False
    assert authority is not None and resource is not None
    return resource.startswith(division_prefix(authority))


def may_act_in(caller: Caller, jurisdiction: str | None) -> bool:
    """An authority (or the platform administrator) whose jurisdiction covers ``jurisdiction``."""
    return caller.role in ("authority", "admin") and covers(caller.jurisdiction, jurisdiction)


def province_of_credit_code(credit_code: str) -> str:
    """The province of a unit from its 统一社会信用代码: characters 3–8 are the registering
    authority's division code (GB 32100-2015); its first two digits name the province."""
    division = credit_code[2:8]
    if not is_division_code(division) or division.startswith("00"):
        raise ValueError(f"no division code in credit code {credit_code!r}")
    return f"{division[:2]}0000"
