"""The standards service's leaves of the kernel error tree, plus the start-up data error.

    DomainError (kernel)
     ├── InvalidInputError       400  invalid_input
     │    ├── InvalidRequestError      invalid_input                   (vocabulary, duplicates)
     │    └── NoStandardInForceError   standards.no_version_in_force
     └── NotFoundError           404  not_found
          └── UnknownVersionError      standards.unknown_version
    StandardDataError (RuntimeError): a data file is invalid; the service does not start.

Field problems carry the same ``details`` shape as msgspec validation errors
(``[{"field": "$.requests[0].category", "problem": "…"}]``).
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from pathlib import Path

from contracts.errors import FieldProblem
from services.kernel import InvalidInputError, NotFoundError

__all__ = [
    "InvalidRequestError",
    "NoStandardInForceError",
    "StandardDataError",
    "UnknownVersionError",
]


class InvalidRequestError(InvalidInputError):
    """Request fields naming terms the standard version does not define (专业类别, 设备类型 …)."""

    def __init__(self, problems: Sequence[FieldProblem]) -> None:
        first = problems[0]
        super().__init__(f"输入有误：{first.field} {first.problem}", details=list(problems))


class NoStandardInForceError(InvalidInputError):
    code = "standards.no_version_in_force"

    def __init__(self, day: datetime.date) -> None:
        problem = FieldProblem(field="$.application_date", problem=f"{day.isoformat()}时尚无生效的资质标准")
        super().__init__(f"申请日期{day.isoformat()}时尚无生效的资质标准版本", details=[problem])


class UnknownVersionError(NotFoundError):
    code = "standards.unknown_version"

    def __init__(self, version: str) -> None:
        super().__init__(f"资质标准版本「{version}」不存在", details={"version": version})


class StandardDataError(RuntimeError):
    """A standard data file is invalid: the message names the file and the field (JSON path)."""

    def __init__(self, path: Path, *, field: str, problem: str) -> None:
        super().__init__(f"{path}: {field}: {problem}")
        self.path = path
        self.field = field
        self.problem = problem
