"""The Chinese explanations of requirements (核验说明), one function per kind of sentence."""

from __future__ import annotations

__all__ = [
    "amount",
    "equipment_group",
    "equipment_one_of",
    "group_label",
    "missing",
    "not_available",
    "prerequisite",
    "single_project",
    "staff_tier",
    "total_amount",
]

_STATE = {True: "满足要求", False: "不足"}


def amount(value: float) -> str:
    """An amount without a trailing ``.0``: 600, 612.5."""
    return str(int(value)) if value == int(value) else f"{value:.6f}".rstrip("0")


def staff_tier(label: str, *, required: int, actual: int) -> str:
    """测绘专业初级及以上人员不足：需5人，实有4人."""
    return f"{label}{_STATE[actual >= required]}：需{required}人，实有{actual}人"


def group_label(types: tuple[str, ...]) -> str:
    """GNSS接收机、全站仪合计 (or the one type's name)."""
    return types[0] if len(types) == 1 else "、".join(types) + "合计"


def equipment_group(label: str, *, required: int, actual: int, unit: str) -> str:
    return f"{label}{_STATE[actual >= required]}：需{required}{unit}，实有{actual}{unit}"


def equipment_one_of(parts: list[tuple[str, int, int, str]], *, passed: bool) -> str:
    """Alternatives: each ``(label, required, actual, unit)``; any one is enough."""
    text = "；或".join(f"{label}需{req}{unit}，实有{act}{unit}" for label, req, act, unit in parts)
    head = "设备要求已满足（满足其一即可）" if passed else "设备均不满足（满足其一即可）"
    return f"{head}：{text}"


def prerequisite(category: str, *, level: str, years: int, months: int, held: int | None) -> str:
    """取得相应专业类别乙级测绘资质满2年."""
    if held is None:
        return f"未取得{category}{level}测绘资质：需取得满{years}年（{months}个月）"
    state = "已满" if held >= months else "不满"
    return f"取得{category}{level}测绘资质{state}{years}年：需满{months}个月，实有{held}个月"


def total_amount(category: str, *, years: int, period: str, required: float, actual: float) -> str:
    """近2年完成测绘服务总值不少于600万元."""
    state = _STATE[actual >= required]
    head = f"近{years}年（{period}）完成{category}测绘服务总值{state}"
    return f"{head}：需{amount(required)}万元，实有{amount(actual)}万元"


def single_project(category: str, *, years: int, required: float, largest: float) -> str:
    """且完成至少一个金额不低于50万元的测绘项目."""
    state = "已" if largest >= required else "未"
    head = f"近{years}年{state}完成金额不低于{amount(required)}万元的{category}测绘项目"
    return f"{head}：最大单项{amount(largest)}万元"


def missing(category: str, *, level: str, what: str) -> str:
    return f"标准数据不完整：{category}{level}的{what}缺失，暂无法核验"


def not_available(category: str, *, level: str, levels: list[str], certificate: str) -> str:
    return f"{category}只设{'、'.join(levels)}，不设{level}；请申请{certificate}"
