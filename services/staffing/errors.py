"""Staffing's leaves of the kernel DomainError tree, each with a dotted code and a Chinese message.

InvalidInputError (400)                                   details.field names the JSON path
 ├── InvalidIdNumberError        staffing.invalid_id_number        $.id_number, one message per IdProblem
 ├── MissingFieldError           staffing.missing_field            a field the rules require here
 ├── InvalidFieldError           staffing.invalid_field            a value the rules refuse (dates, details)
 ├── InvalidAmountError          staffing.invalid_amount           $.amount_wan: more than two decimals
 ├── UnknownVocabularyError      staffing.unknown_vocabulary       设备类型 / 专业类别 not in the standard in force
 ├── DocumentNotUsableError      staffing.document_not_usable      $.documents[i]: missing, not ours, wrong purpose
 └── InvalidLegacyFileError      staffing.invalid_legacy_file      the export cannot be read (encoding, header)
ForbiddenError (403)
 └── OutsideJurisdictionError    staffing.outside_jurisdiction     a release from a unit the authority does not cover
NotFoundError (404)                                       also for whoever may not read it
 ├── PersonNotFoundError         staffing.person_not_found
 ├── EquipmentNotFoundError      staffing.equipment_not_found
 ├── ProjectNotFoundError        staffing.project_not_found
 ├── SnapshotNotFoundError       staffing.snapshot_not_found
 ├── LegacyLoadNotFoundError     staffing.legacy_load_not_found
 └── NotRegisteredError          staffing.not_registered           a release of a person/instrument nobody holds
ConflictError (409)
 ├── PersonHeldByOtherUnitError     staffing.person_held_by_other_unit     names the holder (manual 5.5.4)
 ├── EquipmentHeldByOtherUnitError  staffing.equipment_held_by_other_unit  names the holder (manual 5.6.2)
 ├── PersonAlreadyListedError       staffing.person_already_listed         already on the caller's own roster
 ├── EquipmentAlreadyListedError    staffing.equipment_already_listed
 └── SnapshotMismatchError          staffing.snapshot_mismatch             the revision was frozen for another unit
DomainError (413)
 └── LegacyFileTooLargeError     staffing.legacy_file_too_large
ServiceUnavailableError (503)
 └── NoStandardInForceError      staffing.no_standard_in_force     no 资质标准 version is in force yet
"""

from __future__ import annotations

import datetime as dt

from services.kernel import (
    ConflictError,
    DomainError,
    ForbiddenError,
    InvalidInputError,
    NotFoundError,
    ServiceUnavailableError,
)

from .rules import MIN_AGE, DocumentType, IdProblem

_FORMATS = {
    DocumentType.RESIDENT_ID: "居民身份证号码应为18位，前17位为数字，最后一位为数字或X",
    DocumentType.HMT_RESIDENCE_PERMIT: "港澳台居民居住证号码应为18位，以81、82或83开头，最后一位为数字或X",
    DocumentType.FOREIGN_PERMANENT_RESIDENCE: (
        "外国人永久居留身份证号码应为以9开头的18位数字（最后一位可为X），或旧版的3位英文字母加12位数字"
    ),
    DocumentType.PASSPORT: "护照号码应为5至20位英文字母或数字",
}

_MESSAGES = {
    IdProblem.EMPTY: "请填写{label}号码",
    IdProblem.FIFTEEN_DIGITS: "请填写18位身份证号",
    IdProblem.REGION: "{label}号码前两位（省级行政区划代码）不正确，请核对后重新输入",
    IdProblem.BIRTH_DATE: "{label}号码第7至14位不是有效的出生日期，请核对后重新输入",
    IdProblem.FUTURE_BIRTH_DATE: "{label}号码中的出生日期晚于当前日期，请核对后重新输入",
    IdProblem.CHECK_CHAR: "{label}号码校验位不正确，请核对后重新输入",
    IdProblem.UNDER_AGE: f"技术人员应年满{MIN_AGE}周岁，请核对{{label}}号码",
}


def id_number_message(document_type: DocumentType, problem: IdProblem) -> str:
    """The Chinese sentence shown for ``problem`` in a number of ``document_type``."""
    if problem is IdProblem.FORMAT:
        return _FORMATS[document_type] + "，请核对后重新输入"
    return _MESSAGES[problem].format(label=document_type.value)


class InvalidIdNumberError(InvalidInputError):
    code = "staffing.invalid_id_number"

    def __init__(self, document_type: DocumentType, problem: IdProblem, *, field: str = "id_number") -> None:
        self.problem = problem
        super().__init__(
            id_number_message(document_type, problem),
            details={"field": f"$.{field}", "problem": problem.value},
        )


class MissingFieldError(InvalidInputError):
    code = "staffing.missing_field"

    def __init__(self, field: str, label: str, *, why: str = "") -> None:
        super().__init__(f"{why}请填写{label}", details={"field": f"$.{field}"})


class InvalidFieldError(InvalidInputError):
    code = "staffing.invalid_field"

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message, details={"field": f"$.{field}"})


class InvalidAmountError(InvalidInputError):
    code = "staffing.invalid_amount"

    def __init__(self) -> None:
        super().__init__("合同金额以万元为单位，最多保留两位小数", details={"field": "$.amount_wan"})


class UnknownVocabularyError(InvalidInputError):
    code = "staffing.unknown_vocabulary"

    def __init__(self, field: str, label: str, value: str) -> None:
        super().__init__(f"{label}「{value}」不在现行资质标准中，请从列表中选择", details={"field": f"$.{field}"})


class DocumentNotUsableError(InvalidInputError):
    """An attached document that does not exist (or is deleted, or another unit's), or whose
    材料类型 is not the one it is attached for."""

    code = "staffing.document_not_usable"

    def __init__(self, index: int, *, purpose: str, actual: str | None) -> None:
        if actual is None:
            message = f"第{index + 1}个附件不存在或已删除，请重新上传{purpose}"
        else:
            message = f"第{index + 1}个附件的材料类型是「{actual}」，不能作为「{purpose}」，请重新选择"
        super().__init__(message, details={"field": f"$.documents[{index}].document_id"})


class InvalidLegacyFileError(InvalidInputError):
    code = "staffing.invalid_legacy_file"

    def __init__(self, reason: str) -> None:
        super().__init__(f"无法读取旧系统人员导出文件：{reason}", details={"field": "$.file"})


class LegacyFileTooLargeError(DomainError):
    status_code = 413
    code = "staffing.legacy_file_too_large"

    def __init__(self, limit: int) -> None:
        super().__init__(f"导出文件不能超过{limit >> 20}MB", details={"field": "$.file"})


class OutsideJurisdictionError(ForbiddenError):
    code = "staffing.outside_jurisdiction"

    def __init__(self) -> None:
        super().__init__("该人员或技术装备的登记单位不在您的管辖范围内，无法协调")


class PersonNotFoundError(NotFoundError):
    code = "staffing.person_not_found"

    def __init__(self) -> None:
        super().__init__("未找到该技术人员")


class EquipmentNotFoundError(NotFoundError):
    code = "staffing.equipment_not_found"

    def __init__(self) -> None:
        super().__init__("未找到该技术装备")


class ProjectNotFoundError(NotFoundError):
    code = "staffing.project_not_found"

    def __init__(self) -> None:
        super().__init__("未找到该测绘业绩")


class SnapshotNotFoundError(NotFoundError):
    code = "staffing.snapshot_not_found"

    def __init__(self) -> None:
        super().__init__("未找到该人员装备快照")


class LegacyLoadNotFoundError(NotFoundError):
    code = "staffing.legacy_load_not_found"

    def __init__(self) -> None:
        super().__init__("未找到该次导入记录")


class NotRegisteredError(NotFoundError):
    code = "staffing.not_registered"

    def __init__(self, what: str) -> None:
        super().__init__(f"没有单位登记该{what}，无需协调")


def _holder(name: str | None) -> str:
    return f"「{name}」" if name else "其他单位"


class PersonHeldByOtherUnitError(ConflictError):
    """人员信息冲突 (manual 5.5.4): the person is on another unit's roster."""

    code = "staffing.person_held_by_other_unit"

    def __init__(self, holder: str | None) -> None:
        super().__init__(
            f"该人员已在{_holder(holder)}登记，请联系该单位删除该人员；无法解决时请联系主管部门协调解决。",
            details={"field": "$.id_number", "holder": holder},
        )


class EquipmentHeldByOtherUnitError(ConflictError):
    """技术装备信息冲突 (manual 5.6.2): the instrument is on another unit's roster."""

    code = "staffing.equipment_held_by_other_unit"

    def __init__(self, holder: str | None) -> None:
        super().__init__(
            f"该技术装备已在{_holder(holder)}登记，请联系该单位删除该技术装备；无法解决时请联系主管部门协调解决。",
            details={"field": "$.serial", "holder": holder},
        )


class PersonAlreadyListedError(ConflictError):
    code = "staffing.person_already_listed"

    def __init__(self) -> None:
        super().__init__("该人员已在本单位人员列表中，请勿重复添加", details={"field": "$.id_number"})


class EquipmentAlreadyListedError(ConflictError):
    code = "staffing.equipment_already_listed"

    def __init__(self) -> None:
        super().__init__("该技术装备已在本单位装备列表中，请勿重复添加", details={"field": "$.serial"})


class SnapshotMismatchError(ConflictError):
    code = "staffing.snapshot_mismatch"

    def __init__(self) -> None:
        super().__init__("该申请的此版本已为其他单位或辖区生成快照")


class NoStandardInForceError(ServiceUnavailableError):
    """No version of the 资质标准 is in force yet, so 设备类型 and 专业类别 cannot be checked."""

    code = "staffing.no_standard_in_force"

    def __init__(self, day: dt.date) -> None:
        super().__init__(f"{day.isoformat()}尚无生效的资质标准，暂时无法核对设备类型和专业类别，请稍后再试")
