"""A dashboard table as a CSV or .xlsx download.

Text cells that begin with = + - or @ get a leading apostrophe, so a spreadsheet never runs a unit
name or a note as a formula (CSV injection); numbers stay numbers.
"""
import csv
import io

from django.http import HttpResponse
from openpyxl import Workbook

from portal.cells import neutralise
from portal.downloads import attachment


def table_cells(table):
    yield [str(heading) for _, heading in table.columns]
    for row in table.rows:
        yield [neutralise(row.get(key)) for key, _ in table.columns]


def csv_response(table, filename: str) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = attachment(f"{table.title}.csv", f"{filename}.csv")
    response.write("\ufeff")  # so Excel and WPS open the UTF-8 file as UTF-8
    writer = csv.writer(response)
    writer.writerow([table.title])
    writer.writerows(table_cells(table))
    return response


def xlsx_response(table, filename: str) -> HttpResponse:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "data"
    sheet.append([neutralise(table.title)])
    for cells in table_cells(table):
        sheet.append(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = attachment(f"{table.title}.xlsx", f"{filename}.xlsx")
    return response
