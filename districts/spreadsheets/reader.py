"""Reading an uploaded .xlsx or CSV as a stream of rows of raw cells, refusing hostile or unreadable files.

Whole-file problems (not a spreadsheet, too big, a zip bomb, formulas, no recognisable header, too
many rows) raise `FileRefused` with a Chinese message; problems of single cells are the importer's.
Nothing holds the sheet: `Table.rows()` reads it again from the file's bytes on each pass (CSV
decoded as it goes, .xlsx through openpyxl's read-only mode), so memory does not grow with the rows.
"""
import codecs
import csv
import io
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from districts.spreadsheets.columns import FigureColumn, HeaderMatch, UnknownUnitOfMeasure, match_header

TEMPLATE_SHEET = "季度数据"
HEADER_SEARCH_ROWS = 10  # title rows (merged or not) may sit above the header
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # the old binary .xls (and .et/.doc) container


class FileRefused(Exception):
    """The whole file is refused; nothing was read into the portal."""


@dataclass
class SheetRow:
    number: int  # the row number the person sees in Excel
    cells: dict[int, object] = field(default_factory=dict)  # column index (0-based) -> raw value


@dataclass
class Table:
    sheet: str
    header_row: int
    headers: dict[int, HeaderMatch]  # recognised columns only
    source: Callable[[], Iterator[list]]  # the sheet's rows from the top, read afresh on each call

    def rows(self, roles: set[str] | None = None) -> Iterator[SheetRow]:
        """The data rows below the header, read as they are asked for; FileRefused on a formula or too many rows.
        `roles`: only the cells of the columns of these roles (a row without one is left out)."""
        headers = self.headers if roles is None else {i: m for i, m in self.headers.items() if m.role in roles}
        return _data_rows(self._below_header(), self.header_row, headers)

    def count(self) -> int:
        """The number of data rows, read through once without keeping them (refusing what `rows` refuses). A row
        counts at its first recognised cell that holds something; its cells are gathered only when it holds a
        formula somewhere (text in every cell of a CSV)."""
        limit, count, indexes = settings.IMPORT_MAX_ROWS, 0, list(self.headers)
        for values in self._below_header():
            if FormulaCell in map(type, values):
                if cells := _recognised_cells(values, indexes):
                    _refuse_formulas(cells)
                else:
                    continue
            elif not any(_holds_something(values[i]) for i in indexes if i < len(values)):
                continue
            if count >= limit:
                raise _too_many_rows(limit)
            count += 1
        return count

    def _below_header(self) -> Iterator[list]:
        rows = self.source()
        for _header_and_above in range(self.header_row):
            next(rows, None)
        return rows

    def column_of(self, role: str) -> int | None:
        return next((index for index, match in self.headers.items() if match.role == role), None)


def column_letter(index: int) -> str:
    return get_column_letter(index + 1)


@dataclass(frozen=True)
class Layout:
    """What makes a sheet's header: how one header cell is read, which roles found together are a header, and
    what to say when none of the first rows is one (given the sheets tried). The quarterly sheet is one layout;
    another import (the enterprise lists) brings its own and shares the rest of the reading."""

    match: Callable[[object], HeaderMatch | None]
    complete: Callable[[set[str]], bool]
    missing: Callable[[list[str]], str]


def read_table(data: bytes, file_name: str, columns: list[FigureColumn], *, size: int | None = None) -> Table:
    return read_sheet(data, file_name, size=size, layout=Layout(
        match=lambda value: match_header(value, columns),
        complete=lambda roles: "figure" in roles and bool(roles & {"code", "name"}),
        missing=lambda tried: _("在工作表（%(sheets)s）的前 %(n)s 行中找不到表头：需要“单位代码”或“单位名称”列，"
                                "以及至少一个指标列，如“%(example)s”。请使用本平台下载的模板。")
        % {"sheets": "、".join(tried), "n": HEADER_SEARCH_ROWS, "example": columns[0].header if columns else ""},
    ))


def read_sheet(data: bytes, file_name: str, *, layout: Layout, size: int | None = None) -> Table:
    """The first sheet with a header of `layout` in its first rows; FileRefused for a file that is not a readable
    .xlsx or CSV, too big, or has no such header. `size`: the uploaded file's size, when `data` holds only its
    first bytes (enough to see it is too big)."""
    size = len(data) if size is None else size
    if size > settings.IMPORT_MAX_BYTES:
        raise FileRefused(
            _("文件大小 %(size)s 字节，超过上限 %(limit)s 字节：请删除无关的工作表或拆分后再导入。")
            % {"size": size, "limit": settings.IMPORT_MAX_BYTES}
        )
    if data.startswith(OLE_MAGIC):
        raise FileRefused(_("不支持旧版 .xls / .et 格式：请在 Excel 或 WPS 中“另存为” .xlsx 后再导入。"))
    if data.startswith(ZIP_MAGIC):
        sheets = _xlsx_sheets(data)
    elif file_name.lower().endswith((".xlsx", ".xlsm")):
        raise FileRefused(_("文件“%(name)s”不是有效的 Excel（.xlsx）文件：请用 Excel 或 WPS 打开后另存为 .xlsx。")
                          % {"name": file_name})
    elif file_name.lower().endswith((".csv", ".txt")):
        sheets = [("CSV", _csv_source(data))]
    else:
        raise FileRefused(_("只接受 .xlsx 或 .csv 文件，收到的是“%(name)s”。") % {"name": file_name})
    tried = []
    for name, source in sheets:
        table = _find_table(name, source, layout)
        if table is not None:
            return table
        tried.append(name)
    raise FileRefused(layout.missing(tried))


def _xlsx_sheets(data: bytes):
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile as exc:
        raise FileRefused(_("文件已损坏或不是有效的 Excel（.xlsx）文件。")) from exc
    if unpacked > settings.IMPORT_MAX_UNPACKED_BYTES:
        raise FileRefused(
            _("文件解压后有 %(size)s 字节，超过上限 %(limit)s 字节（可能是压缩炸弹），已拒绝。")
            % {"size": unpacked, "limit": settings.IMPORT_MAX_UNPACKED_BYTES}
        )
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception as exc:  # openpyxl raises many kinds for a zip that is not a workbook
        raise FileRefused(_("文件已损坏或不是有效的 Excel（.xlsx）文件。")) from exc
    names = sorted(workbook.sheetnames, key=lambda name: name != TEMPLATE_SHEET)
    return [(name, lambda name=name: _worksheet_rows(workbook[name])) for name in names]


@dataclass(frozen=True)
class FormulaCell:
    """A formula found while reading; refused only if it sits in a column the import reads."""

    sheet: str
    coordinate: str
    formula: str


def _worksheet_rows(worksheet):
    # Read-only mode parses the sheet's XML only now, row by row: a sheet that is not well-formed (an entity
    # declared outside the file, a broken tag) fails here, after load_workbook accepted the archive.
    try:
        for cells in worksheet.iter_rows():
            yield [
                FormulaCell(worksheet.title, cell.coordinate, str(cell.value)[:40])
                if getattr(cell, "data_type", None) == "f" else cell.value
                for cell in cells
            ]
    except Exception as exc:  # expat, defusedxml and openpyxl each raise their own kinds
        raise FileRefused(_("文件已损坏或不是有效的 Excel（.xlsx）文件。")) from exc


def _csv_source(data: bytes) -> Callable[[], Iterator[list]]:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in data[:4096]:
        raise FileRefused(_("CSV 文件的编码无法识别（疑似 UTF-16）：请另存为“CSV UTF-8”或 GBK 编码。"))
    encoding = next((name for name in ("utf-8-sig", "gb18030") if _decodes(data, name)), None)
    if encoding is None:
        raise FileRefused(_("CSV 文件的编码无法识别：请另存为“CSV UTF-8”或 GBK 编码。"))
    try:
        dialect = csv.Sniffer().sniff(data[:4096].decode(encoding, errors="ignore"), delimiters=",\t;")
    except csv.Error:
        dialect = csv.excel
    return lambda: csv.reader(io.TextIOWrapper(io.BytesIO(data), encoding=encoding, newline=""), dialect)


def _decodes(data: bytes, encoding: str, block: int = 1 << 16) -> bool:
    """Whether all of `data` decodes, checked block by block without keeping the text."""
    decoder = codecs.getincrementaldecoder(encoding)()
    try:
        for start in range(0, len(data), block):
            decoder.decode(data[start:start + block])
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _find_table(sheet: str, source, layout: Layout) -> Table | None:
    for number, values in enumerate(source(), start=1):
        if number > HEADER_SEARCH_ROWS:
            return None
        try:
            headers = {i: m for i, value in enumerate(values) if (m := layout.match(value)) is not None}
        except UnknownUnitOfMeasure as exc:
            raise FileRefused(str(exc)) from exc
        roles = {match.role for match in headers.values()}
        if layout.complete(roles):
            return Table(sheet, number, headers, source)
    return None


def _data_rows(rows, header_row: int, headers: dict[int, HeaderMatch]) -> Iterator[SheetRow]:
    limit, count = settings.IMPORT_MAX_ROWS, 0
    indexes = list(headers)
    for number, values in enumerate(rows, start=header_row + 1):
        if not (cells := _recognised_cells(values, indexes)):
            continue
        if FormulaCell in map(type, cells.values()):
            _refuse_formulas(cells)
        if count >= limit:
            raise _too_many_rows(limit)
        count += 1
        yield SheetRow(number, cells)


def _recognised_cells(values: list, indexes: list[int]) -> dict[int, object]:
    """The cells of the columns at `indexes` that hold something."""
    width, cells = len(values), {}
    for i in indexes:
        if i < width:
            value = values[i]
            if value.strip() if type(value) is str else _present(value):  # `_holds_something`, inlined: per cell
                cells[i] = value
    return cells


def _refuse_formulas(cells: dict[int, object]) -> None:
    if formula := next((value for value in cells.values() if type(value) is FormulaCell), None):
        raise FileRefused(
            _("工作表“%(sheet)s”的单元格 %(cell)s 是公式（%(formula)s），不能导入："
              "请复制后“选择性粘贴为数值”再导入。")
            % {"sheet": formula.sheet, "cell": formula.coordinate, "formula": formula.formula}
        )


def _too_many_rows(limit: int) -> FileRefused:
    return FileRefused(
        _("文件超过 %(limit)s 行数据（单次导入上限），未写入任何数据：请按季度或单位拆分后分批导入。")
        % {"limit": limit}
    )


def _holds_something(value) -> bool:
    return bool(value.strip()) if type(value) is str else _present(value)  # every CSV cell is text


def _present(value) -> bool:
    """Whether a cell other than text holds something (a text cell does when it is not all spaces)."""
    return isinstance(value, FormulaCell) or (value is not None and str(value).strip() != "")
