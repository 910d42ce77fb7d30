"""Import benchmark inputs: a quarterly workbook of some units, and a long CSV of units × quarters.

Rows carry every column of the import template (the registry's slots) with values continuing each
unit's generated series, for quarters after the generated ones, so a check runs every rule on real rows.
The reference data has quarters up to 2030Q4; the quarters a long file needs beyond them are added
(100,000 rows at 2,850 units reach 2034Q4).
"""
import csv
import io
import math

from openpyxl import Workbook

from bench.generate import LAST_PERIOD, figure_value, unit_profile
from districts.models import Period, Unit
from districts.spreadsheets.columns import TEMPLATE_HEADERS, figure_columns
from districts.spreadsheets.reader import TEMPLATE_SHEET


def import_rows(*, rows: int, units: int, seed: int) -> tuple[list[str], list[list]]:
    """Up to `rows` rows: each unit (of the first `units`) for the quarters after the generated ones."""
    columns = figure_columns()
    header = [str(TEMPLATE_HEADERS[key]) for key in ("code", "name", "period")] + [c.header for c in columns]
    last = Period.objects.get_by_code(LAST_PERIOD)
    first = Period.objects.get(ordinal=last.ordinal - 19)
    chosen = list(Unit.objects.order_by("pk")[:units])
    periods = quarters_after(last, math.ceil(rows / len(chosen)))
    body = []
    for period in periods:
        for unit in chosen:
            if len(body) == rows:
                return header, body
            profile = unit_profile(seed, unit.code)
            values = []
            for column in columns:
                figure, section = column.figure, column.slot.section
                index = section.figures.index(figure)
                skip = figure.zone_only and not unit.has_high_tech_zone
                values.append("" if skip else str(figure_value(profile, figure, index, period, first)))
            body.append([unit.code, unit.name, period.code, *values])
    return header, body


def quarters_after(last: Period, count: int) -> list[Period]:
    """The `count` quarters after `last`, adding those the reference data does not have."""
    for ordinal in range(last.ordinal + 1, last.ordinal + count + 1):
        Period.objects.get_or_create(year=ordinal // 4, quarter=ordinal % 4 + 1)
    return list(Period.objects.filter(ordinal__gt=last.ordinal, ordinal__lte=last.ordinal + count))


def as_csv(header, body) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(body)
    return buffer.getvalue().encode("utf-8-sig")


def as_workbook(header, body) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = TEMPLATE_SHEET
    sheet.append(header)
    for row in body:
        sheet.append(row[:3] + [float(v) if v else None for v in row[3:]])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
