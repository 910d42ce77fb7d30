"""The dashboard pages and their downloads; they read snapshot rows through `restrict()` and nothing else."""
from django.contrib.auth.decorators import login_required, permission_required
from django.db import transaction
from django.http import Http404
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from districts.models import Submission, Unit, UnitGroup
from indicators import dashboards, exports, geo, lapses, outcomes, selectors, snapshot_cache
from indicators.choices import Method, Scope
from indicators.dashboards import Selection, to_chart
from indicators.models import IndicatorValue
from platforms.models import Platform
from portal.caching import cached, cached_in_process
from portal.splicing import render_spliced

can_view = permission_required("indicators.view_indicatorvalue", raise_exception=True)


def snapshot(request):
    return IndicatorValue.objects.restrict(request.user, "view")


def freshness(state=None) -> dict:
    """When the snapshot was computed (`run`, the latest succeeded one), and whether newer data waits."""
    run, waiting = state or selectors.dashboard_state()
    return {"run": run, "waiting": waiting}


def map_payload(units_table, sel) -> dict:
    """Map series data keyed by the map's own feature names, each with its unit page; zones are listed beside."""
    names = geo.feature_names_by_unit()
    by_progress = any(row["progress"] is not None for row in units_table.rows)
    metric = "progress" if by_progress else "value"
    codes = {row["code"]: row for row in units_table.rows}
    data = []
    for unit in Unit.objects.filter(code__in=codes, pk__in=names):
        row = codes[unit.code]
        data.append({"name": names[unit.pk], "unit": row["unit"], "value": row[metric],
                     "status": row["status"] if row["target_value"] is not None else None,
                     "shown": row["value"], "rank": row["rank_all"], "approved": row["approved"],
                     "url": f"{reverse('dashboards:unit', args=[unit.code])}?{sel.query()}"})
    values = [item["value"] for item in data if item["value"] is not None]
    return {"metric": _("完成进度（%）") if by_progress else _("数值"), "progress": by_progress,
            "unit_label": sel.indicator.unit_label, "data": data,
            "min": min(values, default=0), "max": max(values, default=100)}


def chart_kind(indicator) -> dict:
    """What a trend chart needs to know of its indicator: a year-to-date flow is drawn as quarterly bars."""
    return {"flow": indicator.method == Method.FLOW_SUM, "unit_label": indicator.unit_label}


def quarter_links(sel) -> list[tuple]:
    """The latest complete quarter and, if later, the latest with any approval (the quarter being filled in)."""
    links = [(_("最新完整季度"), sel.latest_complete)]
    if sel.latest_approved and sel.latest_approved != sel.latest_complete:
        links.append((_("正在审核的最新季度"), sel.latest_approved))
    return [(label, period, sel.query(period=period.code)) for label, period in links if period]


def overview_page(values, query) -> dict:
    """The overview's parts that depend only on the snapshot and the selection, rendered (see snapshot_cache)."""
    sel = Selection.from_query(query, values)
    context = {"sel": sel, "quota_gaps": selectors.quota_gaps(sel.plan)}
    if sel.period is not None:
        approvals = dashboards.approvals(sel)
        units = dashboards.units_table(values, sel)
        groups = dashboards.groups_table(values, sel, approvals)
        cards = dashboards.cards(values, sel, approvals)
        trends = []
        for card in cards:
            table = dashboards.trend_table(values, sel, card.indicator, scope=Scope.CITY)
            trends.append({"id": card.indicator.code, "title": table.title, **chart_kind(card.indicator),
                           "query": sel.query(indicator=card.indicator.code),
                           **to_chart(table, "period", "value", "expected_value", "target_value")})
        context |= {
            "quarter_links": quarter_links(sel),
            "approvals": approvals, "cards": cards, "units": units, "groups": groups, "trends": trends,
            "map": map_payload(units, sel),
            "group_chart": {**to_chart(dashboards.Table("", [], [r for r in groups.rows if r["scope"] == Scope.GROUP]),
                                       "name", "value", "progress"), "unit_label": sel.indicator.unit_label},
            "zones": [row for row in units.rows if not row["counted"]],
            "other_outcomes": dashboards.other_outcomes(values, sel),
        }
    return {"head": render_to_string("indicators/_overview_head.html", context).encode(),
            "body": render_to_string("indicators/_overview_body.html", context).encode(),
            "has_period": sel.period is not None, "plan_id": sel.plan.pk if sel.plan else None}


def selection_params(request, *extra: str) -> dict:
    """The query parameters a cached dashboard entry depends on."""
    return {key: request.GET[key] for key in ("plan", "period", "indicator", *extra) if key in request.GET}


@transaction.non_atomic_requests  # reads only (see IndicatorValueViewSet.as_view)
@login_required
@can_view
def overview(request):
    values = snapshot(request)
    run, _waiting = state = selectors.dashboard_state()
    key = snapshot_cache.snapshot_key("overview", values=values, run=run, params=selection_params(request))
    page = cached_in_process(key, lambda: overview_page(values, request.GET))
    # Outside the cached page: the registry changes without a new dashboard snapshot.
    outlook = lapses.city_outlook(page["plan_id"], timezone.localdate()) if page["plan_id"] else None
    return render_spliced(request, "indicators/overview.html", {"page": page, "lapses": outlook, **freshness(state)},
                          parts={"head": page["head"], "body": page["body"]})


@login_required
@can_view
def unit_page(request, code):
    unit = dashboards.unit_for(request.user, code)
    values = snapshot(request)
    sel = Selection.from_query(request.GET, values)
    rows = list(
        values.filter(plan=sel.plan, unit=unit, period=sel.period).select_related("indicator", "target_period")
        .order_by("indicator__order")
    )
    trends = []
    for row in rows:
        row.source = dashboards.source_url(row, row.indicator, sel.period, unit)
        table = dashboards.trend_table(values, sel, row.indicator, unit=unit, until=sel.period)
        trends.append({"id": row.indicator.code, "title": table.title, **chart_kind(row.indicator),
                       "query": sel.query(indicator=row.indicator.code, unit=unit.code),
                       **to_chart(table, "period", "value", "expected_value", "target_value")})
    platforms = Platform.objects.restrict(request.user, "view").filter(unit=unit).prefetch_related("milestones")
    submissions = Submission.objects.restrict(request.user, "view").filter(unit=unit).select_related("period")[:8]
    high_tech = next((row for row in rows if row.indicator.code == lapses.HIGH_TECH), None)
    return render(request, "indicators/unit.html", {
        "sel": sel, "unit": unit, "rows": rows, "trends": trends, "platforms": platforms,
        "lapses": lapses.unit_outlook(sel.plan, unit, high_tech, timezone.localdate()) if sel.plan else None,
        "submissions": submissions, **freshness(),
    })


@login_required
@can_view
def outcome(request):
    """The result at each passed target quarter of a plan (the 2025 outcome of the first plan), per unit."""
    values = snapshot(request)
    sel = Selection.from_query(request.GET, values)
    shown = outcomes.OutcomeFilter.from_query(request.GET)
    tables = []
    for milestone in dashboards.passed_milestones(sel.plan, sel.period):
        table = dashboards.outcome_table(values, sel.plan, milestone)
        tables.append({"milestone": milestone, "summary": outcomes.summary(table), "table": shown.apply(table)})
    context = {"sel": sel, "tables": tables, "shown": shown, "groups": UnitGroup.objects.order_by("order"),
               "indicators": dashboards.plan_indicators(sel.plan), **freshness()}
    return render(request, "indicators/outcome.html", context)


DATASETS = {"trend", "units", "groups", "outcome"}


@login_required
@can_view
def download(request, dataset, fmt):
    """The data of one chart or table of the pages above, as .xlsx or CSV."""
    if dataset not in DATASETS or fmt not in ("csv", "xlsx"):
        raise Http404
    values = snapshot(request)
    params = selection_params(request, "unit", "milestone", "group", "measure")
    key = snapshot_cache.snapshot_key(f"download:{dataset}.{fmt}", values=values, run=selectors.latest_run(),
                                      params=params)
    return cached(key, lambda: download_response(request, values, dataset, fmt))


def download_response(request, values, dataset, fmt):
    sel = Selection.from_query(request.GET, values)
    if sel.period is None:
        raise Http404(_("尚无计算结果"))
    if dataset == "trend":
        place = {"scope": Scope.CITY}
        if request.GET.get("unit"):  # a unit's trend stops at the chosen quarter, as on its page
            place = {"unit": dashboards.unit_for(request.user, request.GET["unit"]), "until": sel.period}
        table = dashboards.trend_table(values, sel, sel.indicator, **place)
    elif dataset == "units":
        table = dashboards.units_table(values, sel)
    elif dataset == "groups":
        table = dashboards.groups_table(values, sel)
    else:
        passed = dashboards.passed_milestones(sel.plan, sel.period)
        if not passed:
            raise Http404(_("该规划尚无已到期的目标"))
        chosen = next((p for p in passed if p.code == request.GET.get("milestone")), passed[-1])
        table = outcomes.OutcomeFilter.from_query(request.GET).apply(dashboards.outcome_table(values, sel.plan, chosen))
    filename = f"{dataset}-{sel.plan.code}-{sel.indicator.code if dataset != 'outcome' else ''}-{sel.period.code}"
    respond = exports.xlsx_response if fmt == "xlsx" else exports.csv_response
    return respond(table, filename.replace("--", "-"))

