"""Eligibility (新建工作): which 工作类型 × 证书类型 a unit may create, and why not (manual 4.2, 4.3).

- 新单位注册 comes first and once: until it is approved nothing else can be created.
- 资质申请 is for a certificate type the unit does not hold.
- 补充和修改数据, 基本信息变更, 专业范围变更, 补领证书, 资质注销 need a held certificate of that type.
- 复审换证 is for holders of an old-regime certificate: 甲级 first, then 乙级 (once no old-regime
  甲级 certificate is left unreplaced); 导航电子地图制作 separately, on an old navigation certificate.

Pure: the caller passes what the replicas say. One work in progress is the database's index.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .types import APPLICATION_TYPES, CERTIFICATE_TYPES, NAVIGATION
from .work import HeldCertificate

__all__ = ["HOLDER_TYPES", "Standing", "concerned", "matrix", "refusal"]

REGISTRATION, APPLY, RENEW = "新单位注册", "资质申请", "复审换证"
HOLDER_TYPES = frozenset({"补充和修改数据", "基本信息变更", "专业范围变更", "补领证书", "资质注销"})
_TOP, _SECOND = "甲级资质证书", "乙级资质证书"
_NAVIGATION_CATEGORY = "导航电子地图制作"


@dataclass(frozen=True, slots=True)
class Standing:
    """What decides eligibility: 新单位注册 approved, and the unit's valid certificates."""

    registered: bool
    held: Sequence[HeldCertificate] = ()

    def current(self, certificate_type: str) -> HeldCertificate | None:
        """The valid 2021-regime certificate of this type, if held."""
        return next((c for c in self.held if c.regime == "2021" and c.certificate_type == certificate_type), None)

    def legacy(self) -> list[HeldCertificate]:
        return [c for c in self.held if c.regime == "legacy"]


def _navigation(certificate: HeldCertificate) -> bool:
    return certificate.certificate_type == NAVIGATION or any(
        c.category == _NAVIGATION_CATEGORY for c in certificate.categories
    )


def _legacy_top(certificate: HeldCertificate) -> bool:
    return not _navigation(certificate) and (
        certificate.certificate_type == _TOP or certificate.level in ("甲", "甲级")
    )


def _renewal_refusal(certificate_type: str, standing: Standing) -> str | None:
    legacy = standing.legacy()
    if certificate_type == NAVIGATION:
        if not any(_navigation(c) for c in legacy):
            return "复审换证仅适用于持有原导航电子地图制作资质证书的单位"
        return None
    ordinary = [c for c in legacy if not _navigation(c)]
    if not ordinary:
        return "复审换证仅适用于在现行政策施行前已取得测绘资质的单位"
    if certificate_type == _SECOND and any(_legacy_top(c) for c in ordinary):
        return "涉及多种资质证书的，应先申请甲级证书的复审换证，办结后再申请乙级证书"
    return None


def refusal(application_type: str, certificate_type: str, standing: Standing) -> str | None:
    """Why the unit may not create this work (Chinese), or None when it may."""
    if application_type == REGISTRATION:
        return "新单位注册已获批准，无需再次办理" if standing.registered else None
    if not standing.registered:
        return "请先办理新单位注册，获得批准后方可办理其他工作"
    held = standing.current(certificate_type)
    if application_type == APPLY:
        return f"本单位已持有{certificate_type}，如需变更请办理补充和修改数据或专业范围变更" if held else None
    if application_type in HOLDER_TYPES:
        return None if held else f"本单位未持有有效的{certificate_type}，不能办理{application_type}"
    if application_type == RENEW:
        if held is not None:
            return f"本单位已持有现行政策下的{certificate_type}，无需复审换证"
        return _renewal_refusal(certificate_type, standing)
    return f"不支持的工作类型「{application_type}」"


def matrix(standing: Standing) -> list[tuple[str, str, str | None]]:
    """Every (工作类型, 证书类型, refusal or None), in the dialog's order."""
    return [(a, c, refusal(a, c, standing)) for a in APPLICATION_TYPES for c in CERTIFICATE_TYPES]


def concerned(application_type: str, certificate_type: str, standing: Standing) -> str | None:
    """The held certificate a new work is about: the current one of its type (补充, 变更, 补领,
    注销), or for 复审换证 the old-regime one it replaces (甲级 first, navigation separately)."""
    if application_type in HOLDER_TYPES:
        held = standing.current(certificate_type)
        return held.number if held else None
    if application_type != RENEW:
        return None
    legacy = standing.legacy()
    if certificate_type == NAVIGATION:
        candidates = [c for c in legacy if _navigation(c)]
    else:
        ordinary = [c for c in legacy if not _navigation(c)]
        candidates = sorted(ordinary, key=lambda c: not _legacy_top(c)) if certificate_type == _TOP else ordinary
    return candidates[0].number if candidates else None
