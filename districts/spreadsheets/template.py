"""The quarterly template: one row per unit the user may fill, current values filled in."""
import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from districts.spreadsheets.columns import figure_columns
from districts.spreadsheets.reader import TEMPLATE_SHEET
from districts.spreadsheets.values import current_values
from portal.cells import neutralise

HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")


def build_template(*, period, units) -> bytes:
    columns = figure_columns()
    headers = [_("单位代码"), _("单位名称"), _("季度")] + [column.header for column in columns]
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = TEMPLATE_SHEET
    sheet.append([_("区县科技创新季度数据（%(period)s）") % {"period": period.code}])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(headers))
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append(headers)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    values = current_values(period=period, units=units)
    for unit in units:
        known = values.get(unit.pk, {})
        sheet.append([neutralise(unit.code), neutralise(unit.name), period.code]
                     + [known.get(column.key) for column in columns])
    sheet.freeze_panes = "C3"
    sheet.column_dimensions["A"].width = 12
    sheet.column_dimensions["B"].width = 22
    for index in range(4, len(headers) + 1):
        sheet.column_dimensions[get_column_letter(index)].width = 18
    _add_instructions(workbook)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _add_instructions(workbook):
    sheet = workbook.create_sheet(_("填报说明"))
    for line in (
        _("1. 在“季度数据”工作表中每个单位填一行；单位按“单位代码”识别（旧代码也可），没有代码时按“单位名称”。"),
        _("2. 金额默认以万元计；如按元填写，请把表头改为“（元）”，导入时自动换算为万元。"),
        _("3. 留空的单元格保持原值不变；数字可带千分位逗号，全角数字也可识别。"),
        _("4. 请勿使用公式：含公式的文件会被拒绝，请先“选择性粘贴为数值”。"),
        _("5. 导入前会先显示预览：将要修改的数值和所有问题（按行、列列出）；确认后才写入，有任何错误则不写入。"),
    ):
        sheet.append([line])
    sheet.column_dimensions["A"].width = 100
