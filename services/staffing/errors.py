"""Staffing's leaves of the kernel DomainError tree, each with a dotted code and a Chinese message.

InvalidInputError (400)
 └── InvalidIdNumberError       staffing.invalid_id_number     $.id_number, one message per IdProblem
"""

from __future__ import annotations

from services.kernel import InvalidInputError

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
