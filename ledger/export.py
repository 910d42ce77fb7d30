"""The unit's ledger as the Excel sheet a bureau prints: a title row, Chinese headers, borders, A4 landscape."""
import datetime
from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from portal.cells import neutralise

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADERS = (
    ("序号", 6), ("类别", 8), ("任务（项目）名称", 36), ("对应政策条目", 22), ("责任科室", 14), ("责任人", 10),
    ("开始日期", 12), ("完成时限", 12), ("状态", 9), ("进度（%）", 9), ("计划投资（万元）", 13), ("最新进展", 40),
)
THIN = Side(style="thin", color="000000")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)


def _row(number, task, today):
    latest = next(iter(task.notes.all()), None)
    status = task.get_status_display() + ("（逾期）" if task.is_overdue(today) else "")
    return (number, task.get_kind_display(), task.title, str(task.article or ""), task.office, task.owner,
            task.start, task.due, status, task.progress, task.investment,
            f"{latest.period}：{latest.text}" if latest else "")


def ledger_workbook(unit, tasks, *, today: datetime.date) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "任务台账"
    width = len(HEADERS)
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    sheet.cell(1, 1, neutralise(f"{unit.name}科技创新项目台账和落实任务清单")).font = Font(size=16, bold=True)
    sheet.cell(1, 1).alignment = Alignment(horizontal="center", vertical="center")
    sheet.row_dimensions[1].height = 30
    sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=width)
    sheet.cell(2, 1, f"导出日期：{today:%Y年%m月%d日}").alignment = Alignment(horizontal="right")
    for column, (header, column_width) in enumerate(HEADERS, start=1):
        cell = sheet.cell(3, column, header)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = BORDER
        sheet.column_dimensions[get_column_letter(column)].width = column_width
    for number, task in enumerate(tasks.prefetch_related("notes__period"), start=1):
        for column, value in enumerate(_row(number, task, today), start=1):
            cell = sheet.cell(3 + number, column, neutralise(value))
            cell.border = BORDER
            cell.alignment = Alignment(vertical="top", wrap_text=True)
            if isinstance(value, datetime.date):
                cell.number_format = "yyyy-mm-dd"
    sheet.freeze_panes = "A4"
    sheet.print_title_rows = "3:3"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_options.horizontalCentered = True
    sheet.oddFooter.center.text = "第 &P 页，共 &N 页"
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
