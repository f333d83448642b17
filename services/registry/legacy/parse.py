"""Reading the old system's certificate export (CSV, UTF-8 with or without BOM, or GB18030):
columns 证书编号, 单位名称, 统一社会信用代码, 证书等级 (甲/乙/丙/丁), 专业类别 (old names, ``;``
separated), 发证机关, 发证日期, 有效期至. Each row is accepted or rejected with (行号, 列, 原因)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass, field

__all__ = ["COLUMNS", "LegacyExport", "LegacyFileError", "LegacyRow", "Rejection", "read_export"]

COLUMNS = ("证书编号", "单位名称", "统一社会信用代码", "证书等级", "专业类别", "发证机关", "发证日期", "有效期至")
_NUMBER = re.compile(r"^([甲乙丙丁])测资字([0-9]{2})[0-9]{4,7}$")
_CREDIT_CODE = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{18}$")
_DATE = re.compile(r"^([0-9]{4})[-/.]([0-9]{1,2})[-/.]([0-9]{1,2})$")
_LEVELS = frozenset("甲乙丙丁")


class LegacyFileError(ValueError):
    """The file cannot be read at all (encoding, header); the message is Chinese."""


@dataclass(frozen=True, slots=True)
class Rejection:
    line: int
    column: str
    reason: str


@dataclass(frozen=True, slots=True)
class LegacyRow:
    line: int
    number: str
    unit_name: str
    credit_code: str
    level: str
    categories: tuple[str, ...]
    authority_name: str
    issued_on: dt.date
    valid_until: dt.date

    @property
    def jurisdiction(self) -> str:
        """The province the number names (``37`` → ``370000``), else the credit code's."""
        province = self.number[4:6]
        if province == "00" or not province.isdigit():
            province = self.credit_code[2:4]
        return f"{province}0000"


@dataclass
class LegacyExport:
    rows: list[LegacyRow] = field(default_factory=list)
    rejected: list[Rejection] = field(default_factory=list)
    read: int = 0


def read_export(data: bytes) -> LegacyExport:
    reader = csv.reader(io.StringIO(_decode(data)))
    header = [name.strip() for name in next(reader, [])]
    if tuple(header) != COLUMNS:
        raise LegacyFileError(f"文件表头应为：{','.join(COLUMNS)}")
    export, seen = LegacyExport(), set[str]()
    for line, values in enumerate(reader, start=2):
        if not any(value.strip() for value in values):
            continue
        export.read += 1
        row = _row(line, values)
        if isinstance(row, Rejection):
            export.rejected.append(row)
        elif row.number in seen:
            export.rejected.append(Rejection(line, "证书编号", "证书编号在文件中重复"))
        else:
            seen.add(row.number)
            export.rows.append(row)
    return export


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise LegacyFileError("无法识别文件编码，请使用UTF-8或GB18030编码的CSV文件")


def _row(line: int, values: list[str]) -> LegacyRow | Rejection:
    if len(values) != len(COLUMNS):
        return Rejection(line, "", f"应有{len(COLUMNS)}列，实有{len(values)}列")
    number, name, code, level, categories, authority, issued, until = (value.strip() for value in values)
    match = _NUMBER.match(number)
    problem = (
        ("证书编号", "证书编号格式不正确")
        if match is None
        else ("单位名称", "单位名称应为2至100个字符")
        if not 2 <= len(name) <= 100
        else ("统一社会信用代码", "统一社会信用代码应为18位")
        if not _CREDIT_CODE.match(code)
        else ("证书等级", "证书等级应为甲、乙、丙或丁")
        if level not in _LEVELS
        else ("证书等级", "证书等级与证书编号不一致")
        if match[1] != level
        else ("发证机关", "请填写发证机关")
        if not authority or len(authority) > 100
        else None
    )
    if problem is not None:
        return Rejection(line, *problem)
    names = tuple(part.strip() for part in re.split(r"[;；]", categories) if part.strip())
    if not names:
        return Rejection(line, "专业类别", "请填写专业类别")
    issued_on, valid_until = _date(issued), _date(until)
    if issued_on is None:
        return Rejection(line, "发证日期", "日期格式应为YYYY-MM-DD")
    if valid_until is None:
        return Rejection(line, "有效期至", "日期格式应为YYYY-MM-DD")
    if valid_until < issued_on:
        return Rejection(line, "有效期至", "有效期至早于发证日期")
    return LegacyRow(line, number, name, code, level, names, authority, issued_on, valid_until)


def _date(text: str) -> dt.date | None:
    match = _DATE.match(text)
    if match is None:
        return None
    try:
        return dt.date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None
