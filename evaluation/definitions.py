"""What each evaluation input is, in words: its name and its definition with the quarter and base it uses.

These words go into the evaluation's frozen tree, so a report names its inputs for what evaluation/inputs.py
computed at that quarter. A growth input there is year on year (the same quarter a year earlier), which
is not the dashboards' average annual growth since a plan's baseline: it is named so.
"""
import re

from districts.models import Period
from districts.registry import sections
from indicators.choices import Method
from indicators.models import Indicator


def _figure_name(key: str) -> str:
    """The figure's field name without its unit ("全社会研发经费投入（万元）" → "全社会研发经费投入")."""
    section, figure = sections.figure(key)
    return re.sub(r"（[^（）]*）$", "", section.verbose_name(figure))


def _year_before(period: Period) -> str:
    return f"{period.year - 1}Q{period.quarter}"


def input_name(indicator: Indicator) -> str:
    if indicator.method == Method.GROWTH_RATE:
        return f"{_figure_name(indicator.figure)}同比增长率"
    return indicator.name


def input_is_count(indicator: Indicator) -> bool:
    """Whether the input only takes whole numbers (a count of enterprises or platforms)."""
    if indicator.method == Method.PLATFORM_COUNT:
        return True
    if indicator.method in (Method.STOCK_SUM, Method.FLOW_SUM):
        return sections.figure(indicator.figure)[1].integer
    return False


def input_definition(indicator: Indicator, period: Period) -> str:
    """The input's definition at `period`, naming the quarter it is taken at and, for growth, its base."""
    method = indicator.method
    if method == Method.GROWTH_RATE:
        before = _year_before(period)
        return (f"同比增长：（{period}年累计 ÷ {before}年累计 - 1）× 100%，基期为上年同季度 {before}；"
                f"不是看板上自规划基期以来的年均增长率。")
    if method == Method.STOCK_SUM:
        return f"{period} 季末存量：{_figure_name(indicator.figure)}。"
    if method == Method.FLOW_SUM:
        return f"{period.year}年初至 {period} 季末累计：{_figure_name(indicator.figure)}。"
    if method == Method.RATIO:
        return (f"{_figure_name(indicator.figure)} ÷ {_figure_name(indicator.denominator)} × 100%，"
                f"均取 {period} 的值。")
    return f"{indicator.description or indicator.name}（截至 {period} 季末）"
