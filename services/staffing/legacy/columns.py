"""The columns of the old system's staff export (老人老办法, manual 5.5.1): their Chinese headers,
which the header must have, the values each cell accepts, and why a cell is refused.

Every refusal here is a sentence for the administrator who reads the rejected-rows report.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import get_args

from contracts.staffing.api import Education, PersonCategory, TitleLevel

from ..rules import DocumentType

__all__ = [
    "CATEGORIES",
    "CATEGORY",
    "COLUMNS",
    "CREDIT_CODE",
    "CREDIT_CODE_PATTERN",
    "EDUCATION",
    "EDUCATIONS",
    "ID_NUMBER",
    "ID_TYPE",
    "ID_TYPES",
    "MAJOR",
    "MAX_ID_NUMBER",
    "MAX_NAME",
    "MAX_TEXT",
    "NAME",
    "REQUIRED",
    "RETIRED",
    "RETIRED_VALUES",
    "ROW",
    "SCHOOL",
    "SURVEYING",
    "TITLE_LEVEL",
    "TITLE_LEVELS",
    "TITLE_NAME",
    "Reasons",
]

CREDIT_CODE = "统一社会信用代码"
NAME = "姓名"
ID_TYPE = "证件类型"
ID_NUMBER = "证件号码"
CATEGORY = "人员类别"
TITLE_LEVEL = "职称等级"
TITLE_NAME = "职称名称"
MAJOR = "专业"
EDUCATION = "学历"
SCHOOL = "毕业院校"
RETIRED = "是否退休"
ROW = "（整行）"
"""The 列 of a problem that is the row's, not one cell's."""

COLUMNS = (CREDIT_CODE, NAME, ID_TYPE, ID_NUMBER, CATEGORY, TITLE_LEVEL, TITLE_NAME, MAJOR, EDUCATION, SCHOOL, RETIRED)
"""Every column the loader reads, in this order in a parsed row; any other column is ignored."""
REQUIRED = (CREDIT_CODE, NAME, ID_NUMBER, CATEGORY, TITLE_LEVEL)
"""The header must have these; a missing optional column reads as empty cells."""

MAX_NAME = 50
MAX_TEXT = 100
MAX_ID_NUMBER = 32
"""The API's limits (contracts.staffing.api: Name, Text, RawIdNumber): longer is refused, never cut."""

CREDIT_CODE_PATTERN = re.compile(r"[0-9A-HJ-NPQRTUWXY]{18}")
"""contracts.types.CreditCode: 18 digits or capitals (GB 32100-2015 leaves out I, O, Z, S, V)."""

SURVEYING = "测绘专业技术人员"
"""The category whose 职称等级 is required."""

CATEGORIES: Mapping[str, str] = {
    **{label: label for label in get_args(PersonCategory)},
    "测绘专业": "测绘专业技术人员",
    "相关专业": "相关专业技术人员",
    "非专业": "非专业技术人员",
}
"""人员类别 as written in the export → the label stored; the manual's short forms are accepted."""
ID_TYPES: Mapping[str, DocumentType] = {kind.value: kind for kind in DocumentType}
TITLE_LEVELS: Mapping[str, str] = {label: label for label in get_args(TitleLevel)}
EDUCATIONS: Mapping[str, str] = {label: label for label in get_args(Education)}
RETIRED_VALUES: Mapping[str, bool] = {"是": True, "否": False, "": False}


def _listed(labels: tuple[str, ...]) -> str:
    return "、".join(labels[:-1]) + "或" + labels[-1]


class Reasons:
    """Why a cell or a row is refused (the 原因 of the report)."""

    credit_code = "统一社会信用代码应为18位数字或大写英文字母（不含I、O、S、V、Z），请核对"
    id_type = f"证件类型应为{_listed(tuple(ID_TYPES))}"
    category = f"人员类别应为{_listed(get_args(PersonCategory))}"
    title_level = f"职称等级应为{_listed(get_args(TitleLevel))}"
    title_required = f"{SURVEYING}须填写职称等级"
    education = f"学历应为{_listed(get_args(Education))}"
    retired = "是否退休应填写“是”或“否”（不填视为“否”）"
    extra_cells = "本行的列数多于表头，请检查是否有多余的逗号或未加引号的逗号"
    unreadable = "无法解析此行（引号不配对或内容过长）"
    earlier_load = "该人员此前已导入（统一社会信用代码和证件号码相同），本行未重复导入"

    @staticmethod
    def missing(column: str) -> str:
        return f"请填写{column}"

    @staticmethod
    def too_long(column: str, limit: int) -> str:
        return f"{column}不能超过{limit}个字符"

    @staticmethod
    def repeated(first_line: int) -> str:
        return f"与第{first_line}行重复（统一社会信用代码和证件号码相同），本行未导入"

    @staticmethod
    def missing_columns(columns: list[str]) -> str:
        return f"表头缺少以下列：{'、'.join(columns)}"

    @staticmethod
    def repeated_columns(columns: list[str]) -> str:
        return f"表头中以下列出现了不止一次：{'、'.join(columns)}"
