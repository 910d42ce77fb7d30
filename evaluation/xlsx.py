"""The evaluation report as a workbook: ranking, group rankings, recommendations and every input."""
from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Border, Font, PatternFill, Side

from evaluation.report import Report
from portal.cells import neutralise

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
THIN = Side(style="thin")


def _sheet(workbook, title, heading, header, rows):
    sheet = workbook.create_sheet(title)
    sheet.append([neutralise(heading)])
    sheet["A1"].font = Font(size=14, bold=True)
    sheet.append(header)
    for row in rows:
        sheet.append([neutralise(value) for value in row])
    for line in sheet.iter_rows(min_row=2):
        for cell in line:
            cell.border = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
    sheet.column_dimensions["B"].width = 22
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.print_title_rows = "2:2"
    return sheet


def report_workbook(report: Report) -> bytes:
    evaluation, method = report.evaluation, report.method
    title = f"{method.scheme}（{method.year}年，{method.period}，第{evaluation.version}版）"
    names = [d["name"] for d in report.dimensions]
    workbook = Workbook()
    workbook.remove(workbook.active)
    _sheet(workbook, "综合排名", title, ["排名", "单位", "代码", "综合得分", *names, "名次变化", "缺失指标"],
           [[r.result.rank, r.unit.name, r.unit.code, r.result.score, *r.dimensions, r.result.rank_change,
             "、".join(r.missing)] for r in report.rows])
    _sheet(workbook, "组内排名", title, ["分组", "组内排名", "单位", "综合得分", "全市排名"],
           [[group.name, r.result.group_rank, r.unit.name, r.result.score, r.result.rank]
            for group, rows in report.groups for r in rows])
    _sheet(workbook, "激励建议", title, ["单位", "全市排名", "理由"],
           [[r.unit.name, r.result.rank, "；".join(r.result.reasons)] for r in report.recommended])
    leaves = {leaf["id"]: (d["name"], leaf["name"], leaf["unit_label"])
              for d in report.dimensions for leaf in d["indicators"]}
    inputs = evaluation.inputs.select_related("unit").order_by("unit__order", "scheme_indicator_id")
    rows = []
    for i in inputs:
        dimension, name, label = leaves.get(i.scheme_indicator_id, ("", "", ""))
        rows.append([i.unit.name, dimension, name, label, i.value, i.score, "缺失" if i.missing else ""])
    _sheet(workbook, "评价输入", title, ["单位", "维度", "指标", "计量单位", "指标值", "标准化得分", "缺失"], rows)
    _sheet(workbook, "评价方法", title, ["项目", "内容"], [
        ["标准化方法", f"{method.normalisation_label}：{method.formula()}{method.dependence()}"],
        ["汇总", method.aggregation()],
        ["缺失数据", f"{method.missing_rule_label}：{method.missing()}"],
        ["涉及缺失的单位", "、".join(f"{r.unit.name}（{'、'.join(r.missing)}）" for r in report.touched) or "无"],
        ["并列", method.ties()],
        ["激励建议", method.recognition()],
        *[[f"{leaf['dimension']}（{leaf['dimension_weight']:g}）· {leaf['name']}",
           f"权重 {leaf['weight']:g}；{'越低越好' if leaf['reversed'] else '越高越好'}；{leaf.get('definition', '')}"]
          for leaf in report.leaves],
    ])
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
