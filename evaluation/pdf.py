"""The evaluation report as a PDF: Chinese text in reportlab's built-in STSong-Light CID font, so it
needs no font file, and every table is real text that can be copied and searched."""
from io import BytesIO
from xml.sax.saxutils import escape

from django.utils import timezone
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from evaluation.report import Report

FONT = "STSong-Light"
pdfmetrics.registerFont(UnicodeCIDFont(FONT))
TITLE = ParagraphStyle("title", fontName=FONT, fontSize=16, leading=22, alignment=1, spaceAfter=4 * mm)
HEADING = ParagraphStyle("heading", fontName=FONT, fontSize=12, leading=16, spaceBefore=4 * mm, spaceAfter=2 * mm)
BODY = ParagraphStyle("body", fontName=FONT, fontSize=9, leading=13)
GRID = TableStyle([
    ("FONT", (0, 0), (-1, -1), FONT, 8),
    ("GRID", (0, 0), (-1, -1), 0.4, colors.black),
    ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#DDEBF7")),
    ("ALIGN", (2, 1), (-1, -1), "RIGHT"),
    ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
])


def number(value, digits=2) -> str:
    return "—" if value is None else f"{value:.{digits}f}"


def change(value) -> str:
    return "—" if not value else (f"↑{value}" if value > 0 else f"↓{-value}")


def _paragraph(text: str, style) -> Paragraph:
    """Paragraph parses its text as mini-HTML; names users typed ("R&D", "<b>") must print as written."""
    return Paragraph(escape(text), style)


def _table(header, rows, widths=None):
    table = Table([header, *rows], colWidths=widths, repeatRows=1)
    table.setStyle(GRID)
    return table


def _methods(report: Report) -> list:
    """The methods section: enough to recompute every score from the appendix."""
    method = report.method
    tree = _table(["维度（权重）", "指标", "权重", "方向", "口径"], [
        [f"{d['name']}（{d['weight']:g}）", _paragraph(leaf["name"], BODY), f"{leaf['weight']:g}",
         "越低越好" if leaf["reversed"] else "越高越好", _paragraph(leaf.get("definition", ""), BODY)]
        for d in report.dimensions for leaf in d["indicators"]
    ], widths=[30 * mm, 38 * mm, 12 * mm, 16 * mm, 86 * mm])
    touched = "、".join(f"{row.unit.name}（{'、'.join(row.missing)}）" for row in report.touched) or "无"
    return [
        _paragraph("1. 指标体系与权重", BODY), tree, Spacer(1, 2 * mm),
        _paragraph(f"2. 标准化（{method.normalisation_label}）：{method.formula()}{method.dependence()}"
                   "权重敏感性页列出各指标最好、最差单位的数值须变动多少才会改变激励名单。", BODY),
        _paragraph(f"3. 汇总：{method.aggregation()}", BODY),
        _paragraph(f"4. 缺失数据（{method.missing_rule_label}）：{method.missing()}本次涉及的单位：{touched}。", BODY),
        _paragraph(f"5. 并列：{method.ties()}", BODY),
        _paragraph(f"6. 激励建议：{method.recognition()}", BODY),
    ]


def _appendix(report: Report) -> list:
    leaves = report.leaves
    header = ["单位", *[_paragraph(f"{leaf['name']}（{leaf['unit_label']}）", BODY) for leaf in leaves]]
    rows = [[_paragraph(name, BODY), *values] for name, values in report.appendix]
    width = (182 * mm - 26 * mm) / max(len(leaves), 1)
    return [_table(header, rows, widths=[26 * mm, *[width] * len(leaves)])]


def report_pdf(report: Report) -> bytes:
    evaluation, method = report.evaluation, report.method
    buffer = BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=14 * mm, rightMargin=14 * mm, topMargin=14 * mm,
                            bottomMargin=14 * mm, title=f"{method.scheme}评价报告", author="区县科技创新监测平台")
    dimension_names = [d["name"] for d in report.dimensions]
    published = evaluation.published_at and timezone.localtime(evaluation.published_at)
    state = f"，{published:%Y年%m月%d日}发布" if published else "（草稿，未发布）"
    story = [
        _paragraph(f"{method.scheme}（{method.year}年）区县科技创新评价报告", TITLE),
        _paragraph(f"评价时点：{method.period}；标准化方法：{method.normalisation_label}；"
                   f"缺失数据：{method.missing_rule_label}；第{evaluation.version}版{state}", BODY),
    ]
    sections = [("综合排名", [_table(
        ["排名", "单位", "综合得分", *dimension_names, "名次变化", "缺失项"],
        [[row.result.rank or "—", row.unit.name, number(row.result.score), *[number(s, 1) for s in row.dimensions],
          change(row.result.rank_change), row.result.missing_count or ""] for row in report.rows],
    )])]
    if report.groups:
        sections.append(("组内排名", [part for group, rows in report.groups for part in (
            _paragraph(group.name, BODY),
            _table(["组内排名", "单位", "综合得分", "全市排名"],
                   [[r.result.group_rank or "—", r.unit.name, number(r.result.score), r.result.rank or "—"]
                    for r in rows]),
            Spacer(1, 2 * mm),
        )]))
    if report.risers or report.fallers:
        sections.append(("名次变化较大的单位", [_table(
            ["单位", "名次变化", "本期排名"],
            [[r.unit.name, change(r.result.rank_change), r.result.rank] for r in report.risers + report.fallers],
        )]))
    if report.recommended:
        sections.append(("建议“真抓实干”激励单位", [
            _paragraph(f"{row.unit.name}：{'；'.join(row.result.reasons)}。", BODY) for row in report.recommended
        ]))
    sections += [("评价方法", _methods(report)), ("附表：各单位评价输入", _appendix(report))]
    for numeral, (heading, parts) in zip("一二三四五六", sections, strict=False):
        story += [_paragraph(f"{numeral}、{heading}", HEADING), *parts]
    doc.build(story)
    return buffer.getvalue()
