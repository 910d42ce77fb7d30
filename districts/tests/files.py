"""Workbooks and CSV files written the way Excel and WPS write them, for the import tests."""
import io

from openpyxl import Workbook

from districts.spreadsheets.columns import figure_columns


def header_of(key: str) -> str:
    return next(column.header for column in figure_columns() if column.key == key)


def xlsx_bytes(rows, *, title=None, sheet="季度数据", merge_title=False) -> bytes:
    """A workbook with an optional (merged) title row above `rows` (the header first)."""
    workbook = Workbook()
    worksheet = workbook.active
    worksheet.title = sheet
    if title:
        worksheet.append([title])
        if merge_title:
            worksheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=max(len(r) for r in rows))
    for row in rows:
        worksheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_bytes(rows, encoding="utf-8") -> bytes:
    text = "\r\n".join(",".join(f'"{cell}"' if "," in str(cell) else str(cell) for cell in row) for row in rows)
    return text.encode(encoding)
