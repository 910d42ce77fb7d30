"""Reading spreadsheets as people really save them, and refusing files that are not what they seem."""
import io
import zipfile
from decimal import Decimal

import pytest

from districts.spreadsheets.columns import figure_columns
from districts.spreadsheets.normalise import NotANumber, parse_number
from districts.spreadsheets.reader import FileRefused, read_table
from districts.tests.files import csv_bytes, header_of, xlsx_bytes

pytestmark = pytest.mark.django_db  # the columns include one per fund, read from the database
TECH = "enterprises.tech_smes"
RD = "economy.rd_spending"


def header_row():
    return ["单位代码", "单位名称", header_of(TECH), header_of(RD)]


def read(data, name="figures.xlsx"):
    """The table, read through once: refusals of single rows (formulas, too many rows) come while reading."""
    table = read_table(data, name, figure_columns())
    table.count()
    return table


def cells_of(table, row_index=0):
    row = list(table.rows())[row_index]
    return {table.headers[i].role if table.headers[i].role != "figure" else table.headers[i].column.key: value
            for i, value in row.cells.items()}


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("１２３４", Decimal(1234)),
        ("1,234", Decimal(1234)),
        ("1，234.5", Decimal("1234.5")),
        (" 12 345 ", Decimal(12345)),
        ("\u00a07\u00a0", Decimal(7)),
        (3.25, Decimal("3.25")),
        (42, Decimal(42)),
        ("", None),
        ("—", None),
    ],
)
def test_a_number_is_read_however_it_was_typed(typed, expected):
    assert parse_number(typed) == expected


def test_text_that_is_not_a_number_is_named():
    with pytest.raises(NotANumber, match="约120"):
        parse_number("约120")


def test_the_header_is_found_below_a_merged_title_row():
    rows = [header_row(), ["500112", "渝北区", "1,200", "35000"]]
    data = xlsx_bytes(rows, title="渝北区2025年四季度", merge_title=True)
    table = read(data)
    assert table.header_row == 2
    assert next(table.rows()).number == 3
    assert cells_of(table) == {"code": "500112", "name": "渝北区", TECH: "1,200", RD: "35000"}


def test_a_header_in_yuan_divides_the_amount_by_ten_thousand():
    rows = [["单位代码", header_of(TECH), "全社会研发经费投入（元）"], ["500112", 1, 350000000]]
    table = read(xlsx_bytes(rows))
    rd_match = next(m for m in table.headers.values() if m.role == "figure" and m.column.key == RD)
    assert rd_match.divisor == Decimal(10000)


def test_full_width_brackets_and_spaces_in_headers_are_recognised():
    rows = [[" 单位代码 ", "科技型企业(入库数)(家)", "全社会研发经费投入 (万元)"], ["500112", 1, 2]]
    table = read(csv_bytes(rows), "figures.csv")
    assert {m.column.key for m in table.headers.values() if m.role == "figure"} == {TECH, RD}


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk"])
def test_csv_is_read_in_utf8_with_or_without_bom_and_in_gbk(encoding):
    table = read(csv_bytes([header_row(), ["500112", "渝北区", "１,２００", "3"]], encoding), "figures.csv")
    assert cells_of(table) == {"code": "500112", "name": "渝北区", TECH: "１,２００", RD: "3"}


def test_a_file_renamed_to_xlsx_is_refused():
    with pytest.raises(FileRefused, match="不是有效的 Excel"):
        read(b"%PDF-1.4 this is not a workbook", "figures.xlsx")


def test_a_zip_that_is_not_a_workbook_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "不是工作簿")
    with pytest.raises(FileRefused, match="不是有效的 Excel"):
        read(buffer.getvalue(), "figures.xlsx")


def test_an_old_xls_file_is_refused_with_how_to_convert_it():
    with pytest.raises(FileRefused, match="另存为"):
        read(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "figures.xls")


def test_a_zip_bomb_is_refused_before_it_is_unpacked(settings):
    settings.IMPORT_MAX_UNPACKED_BYTES = 1024 * 1024
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * (5 * 1024 * 1024))
    assert len(buffer.getvalue()) < 100 * 1024
    with pytest.raises(FileRefused, match="压缩炸弹"):
        read(buffer.getvalue(), "figures.xlsx")


def test_an_oversized_file_is_refused(settings):
    settings.IMPORT_MAX_BYTES = 1000
    with pytest.raises(FileRefused, match="超过上限 1000 字节"):
        read(b"x" * 1001, "figures.csv")


def test_a_formula_cell_is_refused_with_the_cell_named():
    data = xlsx_bytes([header_row(), ["500112", "渝北区", "=1+1", 3]])
    with pytest.raises(FileRefused, match="单元格 C2 是公式"):
        read(data)


@pytest.mark.parametrize("name", ["figures.xlsx", "figures.csv"])
def test_the_count_is_the_number_of_rows_read_whatever_else_the_sheet_holds(name):
    rows = [
        [*header_row(), "备注"],
        ["500112", "渝北区", 1, 2, ""],
        ["", "", "", "", "只有备注"],  # something only in a column the import does not read: not a data row
        ["", " ", "  ", "", ""],  # spaces only
        ["", "", "", 5, ""],  # a figure without its unit: a data row (the importer names the problem)
        ["500101", "", "", "", "=1+1"],  # a formula in a column the import does not read (text in a CSV)
        ["", "", "", "", "=2+2"],
    ]
    table = read_table(xlsx_bytes(rows) if name.endswith(".xlsx") else csv_bytes(rows), name, figure_columns())
    assert table.count() == len(list(table.rows())) == 3


def test_a_formula_cell_is_refused_when_counting_too():
    table = read_table(xlsx_bytes([header_row(), ["500112", "渝北区", 1, 2], ["", "", "=1+1", ""]]), "f.xlsx",
                       figure_columns())
    with pytest.raises(FileRefused, match="单元格 C3 是公式"):
        table.count()


def test_a_sheet_without_the_headers_is_refused_naming_the_sheets_tried():
    data = xlsx_bytes([["姓名", "电话"], ["张三", "123"]], sheet="通讯录")
    with pytest.raises(FileRefused, match="通讯录"):
        read(data)


def test_utf16_csv_is_refused_as_an_unknown_encoding():
    with pytest.raises(FileRefused, match="编码"):
        read(",".join(header_row()).encode("utf-16"), "figures.csv")


def test_a_file_over_the_row_limit_is_refused_saying_the_limit(settings):
    settings.IMPORT_MAX_ROWS = 50
    rows = [header_row()] + [["500112", "渝北区", i, i] for i in range(51)]
    with pytest.raises(FileRefused, match="超过 50 行"):
        read(csv_bytes(rows), "figures.csv")


def test_a_header_in_yi_yuan_multiplies_the_amount_by_ten_thousand():
    table = read(csv_bytes([["单位代码", "全社会研发经费投入（亿元）"], ["500112", 1]]), "figures.csv")
    assert next(m for m in table.headers.values() if m.role == "figure").divisor == Decimal("0.0001")


def test_an_amount_header_in_an_unknown_currency_is_refused():
    with pytest.raises(FileRefused, match="美元"):
        read(csv_bytes([["单位代码", "全社会研发经费投入（美元）"], ["500112", 1]]), "figures.csv")
