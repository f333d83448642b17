"""The applications service's leaves of the kernel DomainError tree: dotted codes, Chinese messages.

InvalidInputError (400)
 ├── PageInvalidError          applications.page_invalid       details {field: $.values.<key>, fields: {key: message}}
 ├── IncompletePagesError      applications.incomplete_pages   提交: details.pages {page title: [what is missing]}
 ├── StandardNotMetError       applications.standard_not_met   提交: details.evaluation (the standards' table)
 ├── UnknownActionError        applications.unknown_action     $.action is not in the workflow data
 ├── ReasonsRequiredError      applications.reasons_required   $.reasons (退回补齐, 不予批准)
 ├── OpinionRequiredError      applications.opinion_required   $.opinion (审查意见, 延期)
 ├── CalendarInvalidError      applications.calendar_invalid   a 放假通知 day outside its year, or not a weekend
 └── QueueFilterInvalidError   applications.queue_filter_invalid  $.state names an unknown state
ForbiddenError (403)
 ├── ActionNotPermittedError   applications.action_not_permitted  the caller's roles do not include the action's
 ├── AdministratorOnlyError    applications.administrator_only    the calendar is the administrator's
 └── UnitIdInvalidError        applications.unit_id_invalid    the token's unit id is no unit's id (never a unit)
NotFoundError (404)                                      also for whoever may not read it
 ├── WorkNotFoundError         applications.work_not_found
 └── PageNotFoundError         applications.page_not_found     the work's type has no such page
ConflictError (409)
 ├── NotEligibleError          applications.not_eligible       the unit may not create this type now (says why)
 ├── WorkInProgressError       applications.work_in_progress   one piece of work in progress per unit (4.1)
 ├── NotEditableError          applications.not_editable       pages are saved only in 填报中 / 退回补齐 (4.4)
 ├── NotDeletableError         applications.not_deletable      only never-submitted work is deleted
 ├── StaleVersionError         applications.stale_version      someone changed the work since it was read
 ├── WrongStateError           applications.wrong_state        the action is not possible in the work's state
 ├── NotClaimedError           applications.not_claimed        领取 first
 ├── HeldByOtherError          applications.held_by_other      another account holds the work (领取)
 ├── ReviewRequiredError       applications.review_required    审批 only after 审查意见 on this revision
 ├── AlreadyReviewedError      applications.already_reviewed   审查意见 was given on this revision
 └── AlreadyExtendedError      applications.already_extended   延期 once
ServiceUnavailableError (503)
 ├── UnitNotKnownError         applications.unit_not_known     the unit's registration has not arrived yet
 └── NoStandardInForceError    applications.no_standard_in_force
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from services.kernel import ConflictError, ForbiddenError, InvalidInputError, NotFoundError, ServiceUnavailableError

__all__ = [
    "ActionNotPermittedError",
    "AdministratorOnlyError",
    "AlreadyExtendedError",
    "AlreadyReviewedError",
    "CalendarInvalidError",
    "HeldByOtherError",
    "IncompletePagesError",
    "NoStandardInForceError",
    "NotClaimedError",
    "NotDeletableError",
    "NotEditableError",
    "NotEligibleError",
    "OpinionRequiredError",
    "PageInvalidError",
    "PageNotFoundError",
    "QueueFilterInvalidError",
    "ReasonsRequiredError",
    "ReviewRequiredError",
    "StaleVersionError",
    "StandardNotMetError",
    "UnitIdInvalidError",
    "UnitNotKnownError",
    "UnknownActionError",
    "WorkInProgressError",
    "WorkNotFoundError",
    "WrongStateError",
]


def field_path(key: str) -> str:
    """``unit_name`` → ``$.values.unit_name``; ``documents.营业执照`` → ``$.documents.营业执照``."""
    return f"$.{key}" if key.startswith("documents.") else f"$.values.{key}"


class PageInvalidError(InvalidInputError):
    """保存 refused: ``fields`` maps each bad field to its message, shown next to the input."""

    code = "applications.page_invalid"

    def __init__(self, problems: Mapping[str, str]) -> None:
        first_key, first = next(iter(problems.items()))
        more = f"（另有{len(problems) - 1}项需修改）" if len(problems) > 1 else ""
        super().__init__(f"{first}{more}", details={"field": field_path(first_key), "fields": dict(problems)})


class WorkNotFoundError(NotFoundError):
    code = "applications.work_not_found"

    def __init__(self) -> None:
        super().__init__("未找到该工作")


class PageNotFoundError(NotFoundError):
    code = "applications.page_not_found"

    def __init__(self) -> None:
        super().__init__("该工作没有此页面")


class NotEligibleError(ConflictError):
    code = "applications.not_eligible"

    def __init__(self, reason: str) -> None:
        super().__init__(reason, details={"field": "$.application_type"})


class WorkInProgressError(ConflictError):
    code = "applications.work_in_progress"

    def __init__(self) -> None:
        super().__init__("已有正在办理的工作，办结或删除后才能新建工作")


class NotEditableError(ConflictError):
    code = "applications.not_editable"

    def __init__(self, state_label: str) -> None:
        super().__init__(f"该工作{state_label}，不能修改")


class NotDeletableError(ConflictError):
    code = "applications.not_deletable"

    def __init__(self) -> None:
        super().__init__("只能删除从未提交过的工作")


class StaleVersionError(ConflictError):
    code = "applications.stale_version"

    def __init__(self) -> None:
        super().__init__("该申请已被他人处理，请刷新后查看")


class UnitNotKnownError(ServiceUnavailableError):
    code = "applications.unit_not_known"

    def __init__(self) -> None:
        super().__init__("单位注册信息尚未同步，请稍后再试")


class NoStandardInForceError(ServiceUnavailableError):
    code = "applications.no_standard_in_force"

    def __init__(self, day: dt.date) -> None:
        super().__init__(f"{day.isoformat()}尚无生效的资质标准，暂时无法核对专业范围，请稍后再试")


# --- the workflow (提交, transitions, calendar) ------------------------------------------------------


class IncompletePagesError(InvalidInputError):
    """提交 refused: every page with what is missing there."""

    code = "applications.incomplete_pages"

    def __init__(self, pages: Mapping[str, list[str]]) -> None:
        listed = "、".join(pages)
        super().__init__(f"以下页面尚未填写完整：{listed}", details={"field": "$", "pages": dict(pages)})


class StandardNotMetError(InvalidInputError):
    """提交 refused: the roster does not meet the standard (the table in ``details.evaluation``)."""

    code = "applications.standard_not_met"

    def __init__(self, evaluation: object) -> None:
        super().__init__(
            "技术人员或技术装备不满足所申请专业类别和等级的标准，请查看满足情况并补充后再提交",
            details={"field": "$", "evaluation": evaluation},
        )


class UnknownActionError(InvalidInputError):
    code = "applications.unknown_action"

    def __init__(self) -> None:
        super().__init__("没有这项办理操作", details={"field": "$.action"})


class ReasonsRequiredError(InvalidInputError):
    code = "applications.reasons_required"

    def __init__(self, label: str) -> None:
        super().__init__(f"{label}须逐条写明理由", details={"field": "$.reasons"})


class OpinionRequiredError(InvalidInputError):
    code = "applications.opinion_required"

    def __init__(self, label: str) -> None:
        super().__init__(f"{label}须填写意见或理由", details={"field": "$.opinion"})


class CalendarInvalidError(InvalidInputError):
    code = "applications.calendar_invalid"

    def __init__(self, field: str, problem: str) -> None:
        super().__init__(f"放假安排有误：{problem}", details={"field": f"$.{field}"})


class QueueFilterInvalidError(InvalidInputError):
    code = "applications.queue_filter_invalid"

    def __init__(self, field: str, allowed: str) -> None:
        super().__init__(f"筛选条件有误，可选：{allowed}", details={"field": f"$.{field}"})


class ActionNotPermittedError(ForbiddenError):
    code = "applications.action_not_permitted"

    def __init__(self, label: str) -> None:
        super().__init__(f"您的账户没有{label}的权限")


class AdministratorOnlyError(ForbiddenError):
    code = "applications.administrator_only"

    def __init__(self) -> None:
        super().__init__("仅系统管理员可以载入放假安排")


class UnitIdInvalidError(ForbiddenError):
    """The caller's token names a unit id no unit can have (not a UUID): unlike a unit whose
    registration has not arrived yet (503, retry later), it never will."""

    code = "applications.unit_id_invalid"

    def __init__(self) -> None:
        super().__init__("当前账户的单位标识无效，请重新登录")


class WrongStateError(ConflictError):
    code = "applications.wrong_state"

    def __init__(self, state_label: str, action_label: str) -> None:
        super().__init__(f"该工作{state_label}，不能{action_label}，请刷新后查看")


class NotClaimedError(ConflictError):
    code = "applications.not_claimed"

    def __init__(self) -> None:
        super().__init__("请先领取该申请再办理")


class HeldByOtherError(ConflictError):
    code = "applications.held_by_other"

    def __init__(self, holder: str | None) -> None:
        who = f"（{holder}）" if holder else ""
        super().__init__(f"该申请已由他人{who}领取办理，请刷新后查看")


class ReviewRequiredError(ConflictError):
    code = "applications.review_required"

    def __init__(self) -> None:
        super().__init__("审查意见出具后才能作出审批决定")


class AlreadyReviewedError(ConflictError):
    code = "applications.already_reviewed"

    def __init__(self) -> None:
        super().__init__("本次申请已出具审查意见")


class AlreadyExtendedError(ConflictError):
    code = "applications.already_extended"

    def __init__(self) -> None:
        super().__init__("审批期限只能延长一次")
