"""The quarterly brief as an A4 PDF: Chinese text in reportlab's built-in STSong-Light CID font (as the
evaluation report), charts and the map drawn with reportlab graphics, so every number is real text."""
import math
from io import BytesIO
from xml.sax.saxutils import escape

from django.utils import timezone
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.charts.linecharts import HorizontalLineChart
from reportlab.graphics.shapes import Drawing, Polygon, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from briefs.content import BriefContent
from briefs.mapshapes import map_shapes
from districts.models import Unit
from indicators.choices import Status
from indicators.geo import feature_names_by_unit

FONT = "STSong-Light"
pdfmetrics.registerFont(UnicodeCIDFont(FONT))
TITLE = ParagraphStyle("title", fontName=FONT, fontSize=17, leading=24, alignment=1, spaceAfter=2 * mm)
SUBTITLE = ParagraphStyle("subtitle", fontName=FONT, fontSize=9, leading=13, alignment=1, textColor=colors.grey)
HEADING = ParagraphStyle("heading", fontName=FONT, fontSize=12, leading=16, spaceBefore=5 * mm, spaceAfter=2 * mm)
BODY = ParagraphStyle("body", fontName=FONT, fontSize=9, leading=13)
CARD_TITLE = ParagraphStyle("card-title", fontName=FONT, fontSize=9.5, leading=13)
CARD_VALUE = ParagraphStyle("card-value", fontName=FONT, fontSize=16, leading=21)
WIDTH = A4[0] - 28 * mm
# The overview's colours (static/css/portal.css), so a printed brief reads like the page.
STATUS_COLOURS = {Status.ACHIEVED: "#1b6b3a", Status.ON_TRACK: "#1f5f9f", Status.AT_RISK: "#c47f00",
                  Status.OFF_TRACK: "#9b1c1c", Status.NO_DATA: "#d9d9d9"}
GRID = TableStyle([
    ("FONT", (0, 0), (-1, -1), FONT, 8),
    ("GRID", (0, 0), (-1, -1), 0.4, colors.black),
    ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#DDEBF7")),
    ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
])


def amount(value, digits: int = 2) -> str:
    """79,603 · 603,900.5: thousands separated, no trailing zeros, a dash for no value."""
    if value is None:
        return "—"
    text = f"{float(value):,.{digits}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _p(text: str, style=BODY) -> Paragraph:
    """Paragraph parses mini-HTML; names users typed ("R&D", "<b>") must print as written."""
    return Paragraph(escape(text), style)


def _table(header, rows, widths, numeric_from: int = 1) -> Table:
    table = Table([header, *rows], colWidths=widths, repeatRows=1, hAlign="LEFT")
    table.setStyle(GRID)
    table.setStyle(TableStyle([("ALIGN", (numeric_from, 1), (-1, -1), "RIGHT")]))
    return table


def headline(card) -> list[str]:
    """The lines of a headline card, as the overview's card says them."""
    row, label = card.row, card.indicator.unit_label
    if row is None or row.value is None:
        lines = [f"全市：待全部单位审核后给出（已审核 {row.units_reporting}/{row.units_expected}）" if row
                 else "全市：暂无数据"]
    else:
        lines = [f"全市 {amount(row.value)} {label}"]
        if row.target_value is not None:
            comparison = row.target.get_comparison_display() if row.target else ""
            lines.append(f"目标 {comparison}{amount(row.target_value)} {label}（{row.target_period.code}）")
            lines.append(f"完成进度 {amount(row.progress, 1)}% · 应达 {amount(row.expected_progress, 0)}% · "
                         f"{row.get_status_display()}")
        if row.yoy_growth is not None:
            lines.append(f"同比增长 {amount(row.yoy_growth, 1)}%")
    if card.unit_statuses:
        lines.append("各区县：" + "，".join(f"{status_label} {count}" for status_label, _, count in card.unit_statuses))
    return lines


def cards_grid(content: BriefContent) -> Table:
    cells = []
    for card in content.cards:
        first, *rest = headline(card)
        shown = card.row is not None and card.row.value is not None
        cells.append([_p(card.indicator.name, CARD_TITLE), _p(first, CARD_VALUE if shown else BODY),
                      *[_p(line) for line in rest]])
    rows = [cells[i:i + 2] + [[]] * (2 - len(cells[i:i + 2])) for i in range(0, len(cells), 2)]
    grid = Table(rows, colWidths=[WIDTH / 2] * 2)
    grid.setStyle(TableStyle([("BOX", (0, 0), (-1, -1), 0.4, colors.grey),
                              ("INNERGRID", (0, 0), (-1, -1), 0.4, colors.grey),
                              ("VALIGN", (0, 0), (-1, -1), "TOP"),
                              ("TOPPADDING", (0, 0), (-1, -1), 5), ("BOTTOMPADDING", (0, 0), (-1, -1), 6)]))
    return grid


def trend_chart(table, width: float, height: float = 62 * mm) -> Drawing:
    """The city's value by quarter, the straight path to the target and the target, one line each."""
    drawing = Drawing(width, height)
    drawing.add(String(0, height - 10, table.title, fontName=FONT, fontSize=8.5))
    series = [("value", "数值", "#1f5f9f"), ("expected_value", "计划路径应达", "#999999"),
              ("target_value", "目标值", "#9b1c1c")]
    shown = [(key, name, colour) for key, name, colour in series
             if any(row[key] is not None for row in table.rows)]
    if not table.rows or not shown:
        drawing.add(String(0, height / 2, "暂无数据", fontName=FONT, fontSize=8))
        return drawing
    chart = HorizontalLineChart()
    chart.x, chart.y, chart.width, chart.height = 34, 30, width - 44, height - 62
    chart.data = [[row[key] if row[key] is not None else None for row in table.rows] for key, _, _ in shown]
    chart.categoryAxis.categoryNames = [row["period"] for row in table.rows]
    chart.categoryAxis.labels.fontName = FONT
    chart.categoryAxis.labels.fontSize = 6
    chart.categoryAxis.labels.angle = 45 if len(table.rows) > 6 else 0
    chart.categoryAxis.labels.boxAnchor = "ne" if len(table.rows) > 6 else "n"
    numbers = [v for line in chart.data for v in line if v is not None]
    low, high = min(numbers + [0]), max(numbers)
    chart.valueAxis.valueMin, chart.valueAxis.valueMax = low, nice_ceiling(high)
    chart.valueAxis.valueStep = chart.valueAxis.valueMax / 4 or 1
    chart.valueAxis.labels.fontName = FONT
    chart.valueAxis.labels.fontSize = 6
    chart.valueAxis.labelTextFormat = amount
    for index, (_key, _name, colour) in enumerate(shown):
        chart.lines[index].strokeColor = colors.HexColor(colour)
        chart.lines[index].strokeWidth = 1.4 if index == 0 else 0.9
        if index:
            chart.lines[index].strokeDashArray = (3, 2)
    drawing.add(chart)
    legend = Legend()
    legend.x, legend.y = 34, height - 18
    legend.fontName, legend.fontSize, legend.alignment = FONT, 6.5, "right"
    legend.columnMaximum, legend.dx, legend.dy, legend.deltax = 1, 8, 4, 80
    legend.colorNamePairs = [(colors.HexColor(colour), name) for _, name, colour in shown]
    drawing.add(legend)
    return drawing


def nice_ceiling(value: float) -> float:
    """The axis top: the value rounded up to 1, 2 or 5 times a power of ten."""
    if value <= 0:
        return 1
    power = 10 ** math.floor(math.log10(value))
    return next(step * power for step in (1, 2, 5, 10) if step * power >= value)


def trend_charts(content: BriefContent) -> Table:
    charts = [trend_chart(table, WIDTH / 2 - 4) for table in content.trends]
    rows = [charts[i:i + 2] + [""] * (2 - len(charts[i:i + 2])) for i in range(0, len(charts), 2)]
    return Table(rows, colWidths=[WIDTH / 2] * 2)


def by_value(value, low: float, high: float) -> str:
    """A shade from light (lowest) to dark (highest), as the overview's map without targets."""
    share = 0.5 if high == low else (float(value) - low) / (high - low)
    start, end = (0xDD, 0xEB, 0xF7), (0x1F, 0x5F, 0x9F)
    return "#" + "".join(f"{round(a + (b - a) * share):02x}" for a, b in zip(start, end, strict=True))


def map_fills(content: BriefContent) -> dict[str, str]:
    """Map feature name -> fill: by status where units have targets, else shaded by value; grey for no data."""
    names = feature_names_by_unit()
    by_code = {row["code"]: row for row in content.ranking.rows}
    rows = {names[unit.pk]: by_code[unit.code] for unit in Unit.objects.filter(code__in=by_code, pk__in=names)}
    if content.unit_targets:
        return {name: STATUS_COLOURS[row["status_code"]] for name, row in rows.items()}
    low, high = content.value_range
    return {name: by_value(row["value"], low, high) for name, row in rows.items() if row["value"] is not None}


def map_drawing(content: BriefContent, width: float = WIDTH * 0.62, height: float = 92 * mm) -> Drawing:
    """Each district filled by its status or value on the brief's indicator (features join units by code)."""
    drawing = Drawing(width, height)
    shapes = map_shapes()
    fills = map_fills(content)
    points = [point for rings in shapes.values() for ring in rings for point in ring]
    west, east = min(p[0] for p in points), max(p[0] for p in points)
    south, north = min(p[1] for p in points), max(p[1] for p in points)
    squeeze = math.cos(math.radians((south + north) / 2))  # a degree of longitude is shorter than one of latitude
    scale = min((width - 4) / ((east - west) * squeeze), (height - 4) / (north - south))
    for name, rings in shapes.items():
        fill = colors.HexColor(fills.get(name, STATUS_COLOURS[Status.NO_DATA]))
        for ring in rings:
            flat = [coordinate for lon, lat in ring
                    for coordinate in (2 + (lon - west) * squeeze * scale, 2 + (lat - south) * scale)]
            drawing.add(Polygon(flat, fillColor=fill, strokeColor=colors.white, strokeWidth=0.4))
    return drawing


def map_legend(content: BriefContent) -> list:
    if content.unit_targets:
        keys = [(colour, status.label) for status, colour in STATUS_COLOURS.items()]
    else:
        low, high = content.value_range
        keys = [(by_value(low, low, high), f"{amount(low)}（最低）"),
                (by_value(high, low, high), f"{amount(high)}（最高）"),
                (STATUS_COLOURS[Status.NO_DATA], Status.NO_DATA.label)]
    rows = [[_p("■", ParagraphStyle("swatch", parent=BODY, textColor=colors.HexColor(colour))), _p(label)]
            for colour, label in keys]
    legend = Table(rows, colWidths=[6 * mm, 28 * mm])
    legend.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))
    return [legend]


def map_section(content: BriefContent) -> Table:
    zones = [row for row in content.ranking.rows if not row["counted"]]
    beside = [*map_legend(content), Spacer(1, 4 * mm), _p("功能区（不计入全市合计，单独排名）：")]
    beside += [_p(f"{row['unit']}：{amount(row['value'])}"
                  + (f"（{amount(row['progress'], 1)}%）" if row["progress"] is not None else "")
                  + (f" · 排名 {row['rank_all']}" if row["rank_all"] else "")) for row in zones] or [_p("—")]
    layout = Table([[map_drawing(content), beside]], colWidths=[WIDTH * 0.64, WIDTH * 0.36])
    layout.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return layout


def ranking_table(content: BriefContent) -> Table:
    """Target, progress and status columns only when units have targets on the indicator."""
    targets = content.unit_targets
    rows = [[row["rank_all"] or "—", row["unit"] + ("（功能区）" if not row["counted"] else ""), row["group"],
             amount(row["value"]),
             *([amount(row["target_value"]), amount(row["progress"], 1), row["status"]] if targets else []),
             amount(row["yoy_growth"], 1)] for row in content.ranking.rows]
    header = ["排名", "单位", "区域分组", "数值", *(["目标/配额", "完成进度（%）", "状态"] if targets else []),
              "同比增长（%）"]
    widths = [10 * mm, 38 * mm, 31 * mm, 22 * mm, *([21 * mm, 21 * mm, 16 * mm] if targets else []), 23 * mm]
    table = _table(header, rows, widths, numeric_from=3)
    table.setStyle(TableStyle([("ALIGN", (0, 1), (0, -1), "RIGHT")]))
    if targets:
        table.setStyle(TableStyle([("ALIGN", (6, 1), (6, -1), "CENTER")]))
    return table


def movers_table(content: BriefContent) -> Table:
    rows = [[m.unit, m.previous_rank, m.rank, f"上升 {m.change} 位" if m.change > 0 else f"下降 {-m.change} 位"]
            for m in content.movers]
    return _table(["单位", f"{content.previous.code} 排名", f"{content.period.code} 排名", "变化"], rows,
                  [50 * mm, 30 * mm, 30 * mm, 30 * mm])


def risk_table(content: BriefContent) -> Table:
    by_unit: dict = {}
    for row in content.at_risk:
        by_unit.setdefault(row.unit.name, []).append(
            f"{row.indicator.name} {amount(row.value)}/{amount(row.target_value)}（{row.get_status_display()}）")
    rows = [[unit, _p("；".join(lines))] for unit, lines in by_unit.items()]
    return _table(["单位", "指标 数值/目标（状态）"], rows, [40 * mm, WIDTH - 40 * mm], numeric_from=2)


def brief_pdf(content: BriefContent, *, generated_at=None, run=None) -> bytes:
    plan, period = content.plan, content.period
    generated_at = timezone.localtime(generated_at or timezone.now())
    buffer = BytesIO()
    title = f"{plan.name} {period.code} 季度简报"
    doc = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=14 * mm, rightMargin=14 * mm, topMargin=14 * mm,
                            bottomMargin=14 * mm, title=title, author="区县科技创新监测平台")
    state = f"{content.approved}/{content.expected} 个单位已审核"
    story = [_p(title, TITLE), _p(f"截至 {period.code} 末 · {state} · 生成于 {generated_at:%Y年%m月%d日 %H:%M}"
                                  + (f" · 看板计算批次 {run.pk}" if run else ""), SUBTITLE)]
    if content.not_approved:
        story.append(_p(f"尚未审核（{len(content.not_approved)} 个）：{'、'.join(content.not_approved)}。"
                        "全市和分组合计在全部单位审核后给出。"))
    story += [_p("一、主要指标", HEADING), cards_grid(content)]
    if content.trends:
        story += [_p("二、目标进展（全市）", HEADING), trend_charts(content)]
    indicator = content.indicator
    if indicator is not None:
        story += [KeepTogether([_p(f"三、区县分布 · {indicator.name}", HEADING), map_section(content)]),
                  _p(f"四、区县排名 · {indicator.name}（{indicator.unit_label}）", HEADING), ranking_table(content)]
        story.append(_p("五、名次变化", HEADING))
        story.append(movers_table(content) if content.movers else _p(
            f"与 {content.previous.code} 相比名次没有变化。" if content.previous else "没有可比较的上一期。"))
    story.append(_p("六、需要关注的单位（进度滞后或存在风险）", HEADING))
    story.append(risk_table(content) if content.at_risk else _p("没有进度滞后或存在风险的单位。"))
    story += [Spacer(1, 4 * mm), _p("说明：只计已审核数据；城市和分组合计只在全部应报单位审核后给出；功能区与所在区县"
                                   "重叠，不计入全市合计，单独列示并参与排名。状态按“实际增速 ÷ 达标所需增速”判定。",
                                   SUBTITLE)]
    doc.build(story)
    return buffer.getvalue()
