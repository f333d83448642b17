"""Eligibility of 新建工作 (manual 4.2, 4.3), table-driven: who may create which work, and why not."""

from __future__ import annotations

import pytest

from contracts.applications.events import ApprovedLevel
from services.applications.model.eligibility import Standing, concerned, matrix, refusal
from services.applications.model.work import HeldCertificate

A, B, NAV = "甲级资质证书", "乙级资质证书", "导航电子地图制作甲级资质证书"


def cert(certificate_type: str, *, regime: str = "2021", level: str = "", number: str = "") -> HeldCertificate:
    category = "导航电子地图制作" if certificate_type == NAV else "工程测量"
    return HeldCertificate(
        number=number or f"{regime}-{certificate_type}",
        certificate_type=certificate_type,
        level=level,
        regime=regime,
        categories=(ApprovedLevel(category=category, level="甲级"),),
    )


NEW = Standing(registered=False)
REGISTERED = Standing(registered=True)
HOLDS_B = Standing(registered=True, held=(cert(B),))
OLD_A_AND_B = Standing(
    registered=True, held=(cert(A, regime="legacy", level="甲"), cert(B, regime="legacy", level="乙"))
)
OLD_B_ONLY = Standing(registered=True, held=(cert(B, regime="legacy", level="丙"),))
OLD_NAV = Standing(registered=True, held=(cert(NAV, regime="legacy", level="甲"),))

CASES = [
    # (standing, type, certificate, expected fragment of the refusal or None)
    (NEW, "新单位注册", B, None),
    (NEW, "资质申请", B, "请先办理新单位注册"),
    (NEW, "复审换证", A, "请先办理新单位注册"),
    (REGISTERED, "新单位注册", B, "已获批准"),
    (REGISTERED, "资质申请", B, None),
    (REGISTERED, "补领证书", B, "未持有有效的乙级资质证书"),
    (REGISTERED, "复审换证", A, "现行政策施行前"),
    (HOLDS_B, "资质申请", B, "已持有乙级资质证书"),
    (HOLDS_B, "资质申请", A, None),
    (HOLDS_B, "补充和修改数据", B, None),
    (HOLDS_B, "基本信息变更", B, None),
    (HOLDS_B, "专业范围变更", B, None),
    (HOLDS_B, "补领证书", B, None),
    (HOLDS_B, "资质注销", B, None),
    (HOLDS_B, "资质注销", A, "未持有有效的甲级资质证书"),
    (HOLDS_B, "复审换证", B, "无需复审换证"),
    (OLD_A_AND_B, "复审换证", A, None),
    (OLD_A_AND_B, "复审换证", B, "应先申请甲级证书"),
    (OLD_A_AND_B, "复审换证", NAV, "导航电子地图制作"),
    (OLD_B_ONLY, "复审换证", A, None),
    (OLD_B_ONLY, "复审换证", B, None),
    (OLD_NAV, "复审换证", NAV, None),
    (OLD_NAV, "复审换证", A, "现行政策施行前"),
]


@pytest.mark.parametrize(("standing", "application_type", "certificate_type", "expected"), CASES)
def test_refusal(standing: Standing, application_type: str, certificate_type: str, expected: str | None) -> None:
    found = refusal(application_type, certificate_type, standing)
    if expected is None:
        assert found is None
    else:
        assert found is not None and expected in found


def test_matrix_covers_every_type_and_certificate() -> None:
    cells = matrix(NEW)
    assert len(cells) == 24
    assert [(a, c) for a, c, reason in cells if reason is None] == [("新单位注册", c) for c in (A, B, NAV)]


def test_concerned_certificate() -> None:
    assert concerned("补领证书", B, HOLDS_B) == f"2021-{B}"
    assert concerned("资质申请", A, HOLDS_B) is None
    assert concerned("复审换证", A, OLD_A_AND_B) == f"legacy-{A}"
    assert concerned("复审换证", NAV, OLD_NAV) == f"legacy-{NAV}"
