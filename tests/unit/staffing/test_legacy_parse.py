"""Reading the old system's staff export (老人老办法): encodings, header, every row's checks, the
line numbers of the report, and pieces that cut the file without changing what is read."""

from __future__ import annotations

import datetime as dt

import pytest

from services.staffing import errors
from services.staffing.errors import InvalidLegacyFileError
from services.staffing.legacy import columns
from services.staffing.legacy.parse import parse, pieces, read_export, row_rules
from services.staffing.legacy.report import report_csv
from services.staffing.legacy.rows import Cells, LegacyRow, Parsed, Rejection, read_piece
from services.staffing.rules import DocumentType, IdProblem
from tests.builders.staffing import an_id_number

ON = dt.date(2025, 6, 30)
HEADER = "统一社会信用代码,姓名,证件类型,证件号码,人员类别,职称等级,职称名称,专业,学历,毕业院校,是否退休"
CODE = "91110000MA01ABCD1X"
NUMBER = an_id_number(dt.date(1980, 2, 29), seq=123)  # 17th digit 3: male
OTHER = an_id_number(dt.date(1992, 11, 5), seq=246)  # 17th digit 6: female


def row(**cells: str) -> str:
    """A CSV line of a valid 测绘专业技术人员, cells overridden by column label."""
    values = {
        "统一社会信用代码": CODE,
        "姓名": "张三",
        "证件类型": "居民身份证",
        "证件号码": NUMBER,
        "人员类别": "测绘专业技术人员",
        "职称等级": "高级",
        "职称名称": "高级工程师",
        "专业": "测绘工程",
        "学历": "大学本科",
        "毕业院校": "武汉大学",
        "是否退休": "否",
    }
    values.update(cells)
    return ",".join(values[label] for label in HEADER.split(","))


def export(*lines: str, header: str = HEADER) -> str:
    return "\r\n".join((header, *lines)) + "\r\n"


def read(text: str, encoding: str = "utf-8") -> Parsed:
    return parse(text.encode(encoding), on=ON)


def reasons(parsed: Parsed) -> list[tuple[int, str, str]]:
    return [(rejection.line, rejection.column, rejection.reason) for rejection in parsed.rejections]


# --- files ------------------------------------------------------------------------------------


def test_a_good_file_is_read_with_what_the_number_tells() -> None:
    parsed = read(
        export(row(), row(姓名="李四", 证件号码=OTHER, 人员类别="非专业技术人员", 职称等级="", 是否退休="是"))
    )
    assert (parsed.count, parsed.rejections) == (2, [])
    first, second = parsed.rows
    assert first == LegacyRow(
        line=2,
        credit_code=CODE,
        name="张三",
        id_type="居民身份证",
        id_number=NUMBER,
        gender="男",
        birth_date=dt.date(1980, 2, 29),
        category="测绘专业技术人员",
        title_level="高级",
        title_name="高级工程师",
        major="测绘工程",
        education="大学本科",
        school="武汉大学",
        retired=False,
    )
    assert (second.line, second.gender, second.title_level, second.retired) == (3, "女", None, True)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_utf8_with_or_without_bom_and_gb18030_read_the_same(encoding: str) -> None:
    text = export(row(姓名="欧阳䶮"), row(姓名="王五", 证件号码=OTHER))  # 䶮: beyond GBK, in GB 18030
    parsed = read(text, encoding)
    assert parsed.rejections == []
    assert [person.name for person in parsed.rows] == ["欧阳䶮", "王五"]
    assert parsed.rows[0].credit_code == CODE  # the BOM is not part of the first header name


def test_a_file_in_neither_encoding_is_refused() -> None:
    with pytest.raises(InvalidLegacyFileError, match="编码无法识别"):
        parse(HEADER.encode() + b"\r\n\xff\xfe\xff", on=ON)


def test_missing_required_columns_are_named() -> None:
    header = "统一社会信用代码,姓名,证件类型,职称等级"
    with pytest.raises(InvalidLegacyFileError) as refused:
        read(export("x,y,z,w", header=header))
    assert refused.value.message.endswith("表头缺少以下列：证件号码、人员类别")
    assert refused.value.details == {"field": "$.file"}


def test_optional_columns_may_be_absent_and_the_id_type_defaults_to_resident_id() -> None:
    header = "姓名,证件号码,统一社会信用代码,人员类别,职称等级"  # any order, no 证件类型, no 学历 …
    parsed = read(export(f"张三,{NUMBER},{CODE},相关专业,", header=header))
    (person,) = parsed.rows
    assert (person.id_type, person.category, person.title_level, person.education) == (
        "居民身份证",
        "相关专业技术人员",
        None,
        None,
    )


def test_a_repeated_column_and_an_empty_file_are_refused() -> None:
    with pytest.raises(InvalidLegacyFileError, match="出现了不止一次：姓名"):
        read(export(header=HEADER + ",姓名"))
    with pytest.raises(InvalidLegacyFileError, match="没有表头"):
        parse(b"\r\n \r\n", on=ON)


# --- rows -------------------------------------------------------------------------------------

RESIDENT = DocumentType.RESIDENT_ID
WRONG_CHECK = NUMBER[:17] + ("0" if NUMBER[17] != "0" else "1")


@pytest.mark.parametrize(
    ("cells", "column", "reason"),
    [
        (
            {"证件号码": NUMBER[:17] + ("0" if NUMBER[17] != "0" else "1")},
            "证件号码",
            errors.id_number_message(RESIDENT, IdProblem.CHECK_CHAR),
        ),
        ({"证件号码": "110101800229123"}, "证件号码", "请填写18位身份证号"),
        ({"证件号码": ""}, "证件号码", errors.id_number_message(RESIDENT, IdProblem.EMPTY)),
        ({"证件号码": "1" * 33}, "证件号码", "证件号码不能超过32个字符"),
        ({"证件类型": "军官证"}, "证件类型", columns.Reasons.id_type),
        ({"人员类别": "管理人员"}, "人员类别", columns.Reasons.category),
        ({"人员类别": ""}, "人员类别", "请填写人员类别"),
        ({"职称等级": ""}, "职称等级", "测绘专业技术人员须填写职称等级"),
        ({"职称等级": "特级"}, "职称等级", columns.Reasons.title_level),
        ({"姓名": "张" * 51}, "姓名", "姓名不能超过50个字符"),
        ({"姓名": " "}, "姓名", "请填写姓名"),
        ({"专业": "测" * 101}, "专业", "专业不能超过100个字符"),
        ({"学历": "小学"}, "学历", columns.Reasons.education),
        ({"是否退休": "Y"}, "是否退休", columns.Reasons.retired),
        ({"统一社会信用代码": "91110000MA01ABCD1I"}, "统一社会信用代码", columns.Reasons.credit_code),
        ({"统一社会信用代码": "9111000"}, "统一社会信用代码", columns.Reasons.credit_code),
    ],
)
def test_a_malformed_row_is_rejected_with_its_line_column_and_reason(
    cells: dict[str, str], column: str, reason: str
) -> None:
    parsed = read(export(row(), row(**cells)))
    assert [person.line for person in parsed.rows] == [2]
    assert reasons(parsed) == [(3, column, reason)]
    assert parsed.count == 2


def test_every_bad_cell_of_a_row_is_reported_and_nothing_is_cut_to_fit() -> None:
    parsed = read(export(row(姓名="张" * 51, 人员类别="测绘", 证件号码="110101800229123")))
    assert parsed.rows == []
    assert [column for _, column, _ in reasons(parsed)] == ["姓名", "证件号码", "人员类别"]


def test_the_manuals_short_categories_and_trimmed_lower_case_values_are_accepted() -> None:
    parsed = read(export(row(人员类别=" 测绘专业 ", 统一社会信用代码=CODE.lower(), 证件号码=f" {NUMBER.lower()} ")))
    (person,) = parsed.rows
    assert (person.category, person.credit_code, person.id_number) == ("测绘专业技术人员", CODE, NUMBER)


def test_extra_cells_beyond_the_header_are_refused_unless_empty() -> None:
    parsed = read(export(row() + ",,", row() + ",多余"))
    assert [person.line for person in parsed.rows] == [2]
    assert reasons(parsed) == [(3, "（整行）", columns.Reasons.extra_cells)]


def test_a_short_row_reads_its_missing_cells_as_empty() -> None:
    parsed = read(export(f"{CODE},张三,居民身份证,{NUMBER},非专业技术人员"))
    assert [(person.title_level, person.retired) for person in parsed.rows] == [(None, False)]


# --- line numbers -----------------------------------------------------------------------------


def test_line_numbers_are_the_files_across_blank_lines_and_quoted_line_breaks() -> None:
    text = "\r\n".join(
        [
            "",  # 1: blank before the header
            HEADER,  # 2
            row(),  # 3
            "",  # 4: blank
            ",,,,,,,,,,",  # 5: empty cells only
            row(职称名称='"高级\r\n工程师"', 证件号码=OTHER),  # 6–7: one row over two lines
            row(人员类别="未知"),  # 8
        ]
    )
    parsed = read(text)
    assert [person.line for person in parsed.rows] == [3, 6]
    assert parsed.rows[1].title_name == "高级\r\n工程师"
    assert reasons(parsed) == [(8, "人员类别", columns.Reasons.category)]
    assert parsed.count == 3


@pytest.mark.parametrize("size", [1, 7, 100, 1 << 20])
def test_pieces_of_any_size_read_the_same_rows_on_the_same_lines(size: int) -> None:
    lines = [row(姓名=f"人员{index}", 证件号码=an_id_number()) for index in range(40)]
    lines[5] = row(职称名称='"多行\n名称, 含逗号和""引号"""')
    lines[9] = row(人员类别="未知")
    text = export(*lines)
    whole = read(text)
    exported = read_export(text.encode())
    parts = [read_piece(piece, exported.header, row_rules(ON)) for piece in pieces(exported.body, size)]
    assert "".join(piece.text for piece in pieces(exported.body, size)) == exported.body.text
    assert [person for part in parts for person in part.rows] == whole.rows
    assert [rejection for part in parts for rejection in part.rejections] == whole.rejections
    assert sum(part.count for part in parts) == whole.count == 40
    assert whole.rows[5].title_name == '多行\n名称, 含逗号和"引号"'


def test_the_cells_of_a_row_are_named_in_the_order_of_the_columns() -> None:
    assert len(Cells._fields) == len(columns.COLUMNS)
    header = read_export(export(header=",".join(reversed(columns.COLUMNS))).encode()).header
    cells = header.cells(list(reversed(columns.COLUMNS)))
    assert list(cells) == list(columns.COLUMNS)


# --- report -----------------------------------------------------------------------------------


def test_the_report_is_csv_with_a_bom_for_excel() -> None:
    report = report_csv([Rejection(3, "姓名", "请填写姓名"), Rejection(9, "（整行）", '含有逗号, 和引号"')])
    assert report.startswith(b"\xef\xbb\xbf")
    assert report.decode("utf-8-sig").splitlines() == [
        "行号,列,原因",
        "3,姓名,请填写姓名",
        '9,（整行）,"含有逗号, 和引号"""',
    ]
