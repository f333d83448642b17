"""核验结论 (model.verdict_of): the signature and the register together. Only a genuine copy of the
current version of a certificate still 有效 and within its 有效期 is accepted; every other case is
refused in the headline, and a file whose signature fails proves nothing about the number it names."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from services.registry.model import verdict_of

TODAY = dt.date(2026, 12, 7)


def row(**changes: Any) -> dict[str, Any]:
    found: dict[str, Any] = {
        "status": "有效",
        "current_version": 2,
        "valid_until": dt.date(2030, 1, 1),
        "cancelled_on": None,
        "replaced_by": None,
    }
    return {**found, **changes}


@pytest.mark.parametrize(
    ("register", "version", "outcome", "headline"),
    [
        (row(), 2, "有效", "该电子证书签名有效，与登记的现行版本一致"),
        (
            row(status="已注销", cancelled_on=dt.date(2026, 11, 3)),
            2,
            "已注销",
            "该证书已于2026年11月3日注销，该电子证书不再有效",
        ),
        (
            row(status="已换证", replaced_by="甲测资字11000009"),
            2,
            "已换证",
            "该证书已换发新证（新证书编号 甲测资字11000009），该电子证书不再有效",
        ),
        (row(status="已过期"), 2, "已过期", "该证书有效期至2030年1月1日，已过期，该电子证书不再有效"),
        (
            row(valid_until=dt.date(2026, 12, 6)),  # past its date, before the expiry job marked it
            2,
            "已过期",
            "该证书有效期至2026年12月6日，已过期，该电子证书不再有效",
        ),
        (
            row(),
            1,
            "非现行版本",
            "该电子证书签名有效，但不是登记的现行版本（文件为第 1 版，现行为第 2 版），"
            "不能作为有效证书使用，以登记信息为准",
        ),
        (None, 1, "未登记", "该电子证书签名有效，但登记中未查询到该证书，不能作为有效证书使用"),
    ],
)
def test_a_genuine_file_is_judged_by_the_register(
    register: dict[str, Any] | None, version: int, outcome: str, headline: str
) -> None:
    verdict = verdict_of(signature_valid=True, version=version, register=register, today=TODAY)
    assert (verdict.outcome, verdict.headline) == (outcome, headline)


def test_the_last_day_of_validity_still_counts() -> None:
    verdict = verdict_of(signature_valid=True, version=2, register=row(valid_until=TODAY), today=TODAY)
    assert verdict.outcome == "有效"


@pytest.mark.parametrize("register", [row(), row(status="已注销"), None])
def test_a_file_whose_signature_fails_is_refused_whatever_the_register_says(register: dict[str, Any] | None) -> None:
    verdict = verdict_of(signature_valid=False, version=2, register=register, today=TODAY)
    assert (verdict.outcome, verdict.headline) == ("签名无效", "该电子证书的电子签名无效，不能作为有效证书使用")
