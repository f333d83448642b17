"""完整性: which documents an entry needs (manual 5.5.3, 5.6, 5.7) and why an entry does not count.

Pure: an entry's attached documents come in with ``usable`` already decided (the document exists,
is not deleted, is the unit's, and has the purpose it is attached for); dates come in as
arguments. An entry with any problem is shown in another colour with the problems and is not
counted (manual 5.5.2).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

__all__ = [
    "EQUIPMENT_PURPOSES",
    "PERSON_PURPOSES",
    "PROJECT_PURPOSES",
    "SUBSTITUTE",
    "Attached",
    "Problem",
    "equipment_problems",
    "is_software",
    "person_problems",
    "project_problems",
]

SUBSTITUTE = "其它"
"""其它材料替代: a document of this purpose, with a stated reason, stands for a missing certificate."""

PERSON_PURPOSES = frozenset(["职称证书", "学历证书", "退休材料", "劳务合同", "社保缴纳证明", "身份证", SUBSTITUTE])
EQUIPMENT_PURPOSES = frozenset(["检定证书", "购置发票", SUBSTITUTE])
PROJECT_PURPOSES = frozenset(["项目合同", "验收证明", SUBSTITUTE])


@dataclass(frozen=True, slots=True)
class Attached:
    """A document attached for ``purpose``; ``usable`` false once it is deleted."""

    purpose: str
    document_id: str
    usable: bool = True


@dataclass(frozen=True, slots=True)
class Problem:
    """Why an entry does not count: a stable code and the sentence shown next to the entry."""

    code: str
    message: str


def _usable(attached: Iterable[Attached]) -> set[str]:
    return {a.purpose for a in attached if a.usable}


def _lost(attached: Iterable[Attached]) -> set[str]:
    return {a.purpose for a in attached if not a.usable}


def _missing(purpose: str, lost: set[str]) -> Problem:
    if purpose in lost:
        return Problem("document_deleted", f"{purpose}已被删除，请重新上传")
    return Problem("missing_document", f"请上传{purpose}")


def person_problems(
    *, category: str, retired: bool, substitute_reason: str | None, attached: Sequence[Attached]
) -> list[Problem]:
    """测绘专业 → 职称证书; 相关专业 → 职称证书 or 学历证书 (either may be replaced by 其它 with a
    reason); 退休 → 退休材料 and 劳务合同; everyone → 社保缴纳证明 and 身份证."""
    have, lost = _usable(attached), _lost(attached)
    problems: list[Problem] = []
    substituted = SUBSTITUTE in have and bool(substitute_reason and substitute_reason.strip())
    if category == "测绘专业技术人员" and "职称证书" not in have and not substituted:
        problems.append(_missing("职称证书", lost))
    if category == "相关专业技术人员" and not have & {"职称证书", "学历证书"} and not substituted:
        if "职称证书" in lost or "学历证书" in lost:
            problems.append(Problem("document_deleted", "职称证书或学历证书已被删除，请重新上传"))
        else:
            problems.append(Problem("missing_document", "请上传职称证书或学历证书"))
    if retired:
        problems.extend(_missing(p, lost) for p in ("退休材料", "劳务合同") if p not in have)
    problems.extend(_missing(p, lost) for p in ("社保缴纳证明", "身份证") if p not in have)
    if SUBSTITUTE in have and not substituted and category != "非专业技术人员":
        problems.append(Problem("substitute_without_reason", "以其它材料替代证书时，请填写替代理由"))
    return problems


def is_software(equipment_type: str) -> bool:
    """软件 (地理信息处理软件, 地理信息系统平台软件) has no 检定/校准."""
    return equipment_type.endswith("软件")


def equipment_problems(
    *, equipment_type: str, calibration_valid_until: dt.date | None, attached: Sequence[Attached], on: dt.date
) -> list[Problem]:
    """An instrument needs its 检定/校准 certificate valid on ``on`` and its 购置发票; software only
    its 购置发票."""
    have, lost = _usable(attached), _lost(attached)
    problems: list[Problem] = []
    if not is_software(equipment_type):
        if "检定证书" not in have:
            problems.append(_missing("检定证书", lost))
        if calibration_valid_until is None:
            problems.append(Problem("calibration_missing", "请填写检定/校准证书的有效期至"))
        elif calibration_valid_until < on:
            problems.append(
                Problem("calibration_expired", f"检定/校准已于{calibration_valid_until.isoformat()}过期，请重新检定")
            )
    if "购置发票" not in have:
        problems.append(_missing("购置发票", lost))
    return problems


def project_problems(*, attached: Sequence[Attached]) -> list[Problem]:
    """A project needs its 项目合同 and its 验收证明."""
    have, lost = _usable(attached), _lost(attached)
    return [_missing(p, lost) for p in ("项目合同", "验收证明") if p not in have]
