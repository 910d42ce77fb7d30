# ruff: noqa: S608 -- SQL built from model table/column names and registry constants only; values are parameters
"""The physical baselines the portal is measured against: hand-written SQL, and COPY.

`snapshot_sql` is one SQL statement per plan computing the values the dashboard computation stores, for every
indicator, place (each unit, each unit group with its subgroups, the city) and quarter from the plan's baseline
to its horizon: the value (sums, ratios, platform counts, average annual growth), the baseline, the target that
applies, progress, expected progress and value, gap, pace, linear and compound projections, status, year-on-year
and average annual growth, and the units' ranks (on approved quarters only). It follows indicators/progress.py
and indicators/computation.py rule for rule (bench/tests/test_baseline.py checks it finds the snapshot's values),
written from the registry and the plan's indicators and targets. The values are aggregated on the server (a count
of each column), so the time is the computation's, not a transfer's. It is plain SQL that PostgreSQL and SQLite
both run. It adds up reported figures: every indicator of the bench has the reported source (the reference data's
default), and an indicator counted from the enterprise registry is refused rather than computed otherwise.
"""
import csv
import io

from django.db import connection
from django.db.models import Max

from districts.choices import SubmissionState, UnitKind
from districts.models import Period, Submission, Unit, UnitGroup
from districts.registry import sections
from indicators.choices import AppliesTo, Comparison, Direction, Method, Scope, Status
from indicators.models import Indicator, Target
from indicators.progress import AT_RISK_AT, ON_TRACK_AT
from platforms.choices import STATUS_RANK
from platforms.models import Platform, PlatformMilestone

SUMS = (Method.STOCK_SUM, Method.FLOW_SUM)
FIGURES = (*SUMS, Method.GROWTH_RATE)
PLATFORMS = (Method.PLATFORM_COUNT, Method.UNITS_REACHED)
COLUMNS = ("value", "reporting", "expected", "baseline_value", "g_value", "progress",
           "expected_progress", "expected_value", "gap", "pace_ratio", "projected_linear", "projected_compound",
           "status", "yoy_growth", "avg_annual_growth", "rank_all", "rank_in_group")


def annual_growth(start: str, end: str, years: str) -> str:
    return (f"(CASE WHEN {start} > 0 AND {end} >= 0 AND {years} > 0 "
            f"THEN POWER({end} / {start}, 1.0 / ({years})) - 1 END)")


def reached(value: str) -> str:
    """progress.reached: the value meets the target (g_value, g_comparison) in the indicator's direction."""
    return (f"(CASE WHEN direction = '{Direction.DOWN}' THEN (CASE WHEN g_comparison = '{Comparison.GT}' "
            f"THEN {value} < g_value ELSE {value} <= g_value END) ELSE (CASE WHEN g_comparison = '{Comparison.GT}' "
            f"THEN {value} > g_value ELSE {value} >= g_value END) END)")


def figure_rows(indicator, params: list) -> list[str]:
    """SELECTs of (unit, period, indicator, top, bottom) for an indicator's approved figures."""
    keys = [(indicator.figure, "top")]
    if indicator.method == Method.RATIO:
        keys.append((indicator.denominator, "bottom"))
    selects = []
    for key, column in keys:
        section, figure = sections.figure(key)
        value = f"CAST(f.{figure.field} AS DOUBLE PRECISION)"
        none = "CAST(NULL AS DOUBLE PRECISION)"
        top, bottom = (value, none) if column == "top" else (none, value)
        selects.append(
            f"SELECT f.unit_id, f.period_id, {int(indicator.pk)} AS indicator_id, {top} AS top, {bottom} AS bottom "
            f"FROM {section.model._meta.db_table} f JOIN {Submission._meta.db_table} s ON s.unit_id = f.unit_id "
            f"AND s.period_id = f.period_id AND s.state = %s JOIN fetched q ON q.id = f.period_id "
            f"WHERE f.{figure.field} IS NOT NULL"
        )
        params.append(SubmissionState.APPROVED)
    return selects


def platform_rows(indicator, baseline_end, params: list) -> str:
    """(unit, period, indicator, count) of the platforms whose status at the quarter's end is at least the one
    asked: none before the earlier of their founding date and first milestone, then their latest status milestone
    by then, before their first status milestone the status below its, with no status milestone their current
    status."""
    platform, milestone = Platform._meta.db_table, PlatformMilestone._meta.db_table
    ranks = " ".join(f"WHEN '{status}' THEN {rank}" for status, rank in STATUS_RANK.items())

    def rank(status: str) -> str:
        return f"(CASE {status} {ranks} END)"

    def rank_at(date: str) -> str:  # -1 before the platform exists; `date` appears twice
        latest = (f"(SELECT m.status FROM {milestone} m WHERE m.platform_id = p.id AND m.status <> '' "
                  f"AND m.date <= {date} ORDER BY m.date DESC, m.id DESC LIMIT 1)")
        below_first = f"(CASE WHEN {rank('f.status')} > 0 THEN {rank('f.status')} - 1 ELSE {rank('f.status')} END)"
        start = "COALESCE(CASE WHEN d.first_day < p.founded THEN d.first_day ELSE p.founded END, d.first_day)"
        return (f"(CASE WHEN {start} > {date} THEN -1 "
                f"ELSE COALESCE({rank(latest)}, {below_first}, {rank('p.status')}) END)")

    wanted = STATUS_RANK[indicator.params.get("status_at_least", "planned")]
    where = [f"{rank_at('q.end_date')} >= {wanted}"]
    for key in ("kind", "featured", "level"):
        if key in indicator.params:
            where.append(f"p.{key} = %s")
            params.append(indicator.params[key])
    if indicator.params.get("since_baseline"):
        where.append(f"NOT {rank_at('%s')} >= {wanted}")
        params += [baseline_end, baseline_end]
    count = "1" if indicator.method == Method.UNITS_REACHED else "COUNT(*)"
    first_status = (f"SELECT m.platform_id, m.status FROM {milestone} m WHERE m.status <> '' AND NOT EXISTS ("
                    f"SELECT 1 FROM {milestone} e WHERE e.platform_id = m.platform_id AND e.status <> '' "
                    f"AND (e.date < m.date OR (e.date = m.date AND e.id < m.id)))")
    return (f"SELECT p.unit_id, q.id AS period_id, {int(indicator.pk)} AS indicator_id, "
            f"CAST({count} AS DOUBLE PRECISION) AS top, CAST(NULL AS DOUBLE PRECISION) AS bottom "
            f"FROM {platform} p JOIN places_unit pu ON pu.unit_id = p.unit_id JOIN fetched q ON q.ord >= pu.joined "
            f"LEFT JOIN (SELECT platform_id, MIN(date) AS first_day FROM {milestone} GROUP BY platform_id) d "
            f"ON d.platform_id = p.id LEFT JOIN ({first_status}) f ON f.platform_id = p.id "
            f"WHERE {' AND '.join(where)} GROUP BY p.unit_id, q.id")


def snapshot_sql(plan) -> tuple[str, list]:
    indicators = list(Indicator.objects.all())
    if registry := [i.code for i in indicators if i.from_registry]:
        raise ValueError(f"the SQL baseline reads reported figures only, not the registry counts of {registry}")
    latest = Submission.objects.filter(state=SubmissionState.APPROVED).aggregate(o=Max("period__ordinal"))["o"]
    base = plan.baseline.ordinal
    horizon = plan.targets.aggregate(o=Max("period__ordinal"))["o"]
    data_until = latest or base
    last = max(o for o in (latest, horizon, base) if o)
    quarters = list(Period.objects.filter(ordinal__gte=base - 4, ordinal__lte=last))
    params: list = []
    calendar = ", ".join(["(%s, %s, %s)"] * len(quarters))
    for q in quarters:
        params += [q.pk, q.ordinal, q.end_date]
    kinds = ", ".join(["(%s, %s, %s, %s, %s)"] * len(indicators))
    for i in indicators:
        figure = sections.figure(i.figure)[1] if i.figure else None
        money = i.method in SUMS and figure.unit_label == "万元"
        zone_ratio = i.method == Method.RATIO and figure.zone_only  # adds the zones' own reports
        params += [i.pk, i.method, i.direction, int(zone_ratio), int(money)]
    raw = [sql for i in indicators if i.method in (*FIGURES, Method.RATIO) for sql in figure_rows(i, params)]
    raw += [platform_rows(i, plan.baseline.end_date, params) for i in indicators if i.method in PLATFORMS]
    unit, group, period, target, submission = (m._meta.db_table for m in (Unit, UnitGroup, Period, Target, Submission))
    platform_methods = ", ".join(f"'{m}'" for m in PLATFORMS)
    # ranked as stored: to the snapshot's 4 decimal places, so equal stored values share a rank
    sort_key = f"CASE WHEN a.direction = '{Direction.DOWN}' THEN 1 ELSE -1 END * ROUND(CAST(a.value AS NUMERIC), 4)"
    sql = f"""
WITH RECURSIVE covers(group_id, leaf_id) AS (
  SELECT id, id FROM {group}
  UNION ALL SELECT g.parent_id, c.leaf_id FROM covers c JOIN {group} g ON g.id = c.group_id
  WHERE g.parent_id IS NOT NULL
),
quarter(id, ord, end_date) AS (VALUES {calendar}),
fetched AS (SELECT * FROM quarter WHERE ord <= {int(data_until)}),
kind(id, method, direction, zone_ratio, money) AS (VALUES {kinds}),
places_unit AS (
  SELECT u.id AS unit_id, u.group_id, u.counts_toward_city_total AS counted, COALESCE(j.ordinal, 0) AS joined,
         u.kind, u.has_high_tech_zone AS zoned
  FROM {unit} u LEFT JOIN {period} j ON j.id = u.joined_id
),
approved_quarter AS (SELECT unit_id, period_id FROM {submission} WHERE state = '{SubmissionState.APPROVED}'),
raw AS ({" UNION ALL ".join(raw)}),
per_unit AS (
  SELECT unit_id, period_id, indicator_id, SUM(top) AS top, COUNT(top) AS top_n, SUM(bottom) AS bottom,
         COUNT(bottom) AS bottom_n
  FROM raw GROUP BY unit_id, period_id, indicator_id
),
-- every place an aggregate is computed for, with the unit groups it covers: each group, and the city (0)
covering(scope, place, leaf_id) AS (
  SELECT '{Scope.GROUP}', group_id, leaf_id FROM covers UNION ALL SELECT '{Scope.CITY}', 0, id FROM {group}
),
aggregate_place AS (
  SELECT DISTINCT c.scope, c.place FROM covering c JOIN places_unit pu ON pu.group_id = c.leaf_id AND pu.counted
),
expected AS (
  SELECT a.scope, a.place, q.id AS period_id,
         SUM(CASE WHEN pu.counted AND pu.joined <= q.ord THEN 1 ELSE 0 END) AS n,
         SUM(CASE WHEN NOT pu.counted AND pu.zoned AND pu.joined <= q.ord THEN 1 ELSE 0 END) AS zones
  FROM aggregate_place a JOIN covering c ON c.scope = a.scope AND c.place = a.place
  JOIN places_unit pu ON pu.group_id = c.leaf_id CROSS JOIN quarter q GROUP BY a.scope, a.place, q.id
),
summed AS (
  SELECT c.scope, c.place, r.period_id, r.indicator_id,
         SUM(CASE WHEN pu.counted THEN r.top END) AS top, SUM(CASE WHEN pu.counted THEN r.top_n ELSE 0 END) AS top_n,
         SUM(CASE WHEN pu.counted OR k.zone_ratio = 1 THEN r.top END) AS zone_top,
         SUM(CASE WHEN NOT pu.counted THEN r.top_n ELSE 0 END) AS outside_top_n,
         SUM(CASE WHEN pu.counted THEN r.bottom END) AS bottom,
         SUM(CASE WHEN pu.counted THEN r.bottom_n ELSE 0 END) AS bottom_n
  FROM per_unit r JOIN places_unit pu ON pu.unit_id = r.unit_id JOIN covering c ON c.leaf_id = pu.group_id
  JOIN kind k ON k.id = r.indicator_id
  GROUP BY c.scope, c.place, r.period_id, r.indicator_id
),
aggregate_series AS (
  SELECT a.scope, a.place, 0 AS joined, k.id AS indicator_id, q.id AS period_id, q.ord,
         e.n + k.zone_ratio * e.zones AS expected,
         CASE WHEN k.method IN ({platform_methods}) THEN e.n
              WHEN k.method = '{Method.RATIO}' THEN (CASE WHEN s.bottom_n > 0
                THEN s.bottom_n + k.zone_ratio * s.outside_top_n ELSE 0 END)
              ELSE COALESCE(s.top_n, 0) END AS reporting,
         CASE WHEN k.method IN ({platform_methods}) THEN COALESCE(s.top, 0)
              WHEN k.method = '{Method.RATIO}' THEN
                CASE WHEN s.bottom_n > 0 AND s.zone_top IS NOT NULL AND s.bottom <> 0
                     THEN s.zone_top * 100 / s.bottom END
              WHEN s.top_n > 0 THEN s.top END AS total
  FROM aggregate_place a CROSS JOIN kind k CROSS JOIN fetched q
  JOIN expected e ON e.scope = a.scope AND e.place = a.place AND e.period_id = q.id
  LEFT JOIN summed s ON s.scope = a.scope AND s.place = a.place AND s.indicator_id = k.id AND s.period_id = q.id
),
unit_series AS (
  SELECT pu.unit_id AS place, pu.joined, k.id AS indicator_id, q.id AS period_id, q.ord,
         CASE WHEN k.method IN ({platform_methods}) THEN (CASE WHEN pu.joined <= q.ord THEN COALESCE(r.top, 0) END)
              WHEN k.method = '{Method.RATIO}' THEN
                CASE WHEN r.top_n > 0 AND r.bottom_n > 0 AND r.bottom <> 0 THEN r.top * 100 / r.bottom END
              ELSE r.top END AS s
  FROM places_unit pu CROSS JOIN kind k CROSS JOIN fetched q
  LEFT JOIN per_unit r ON r.unit_id = pu.unit_id AND r.indicator_id = k.id AND r.period_id = q.id
),
series AS (
  -- a unit reports a quarter once it is approved (a platform count has a value either way)
  SELECT '{Scope.UNIT}' AS scope, u.place, u.joined, u.indicator_id, u.period_id, u.ord, u.s,
         CASE WHEN a.unit_id IS NOT NULL THEN 1 ELSE 0 END AS reporting
  FROM unit_series u LEFT JOIN approved_quarter a ON a.unit_id = u.place AND a.period_id = u.period_id
  WHERE u.s IS NOT NULL OR a.unit_id IS NOT NULL
  UNION ALL
  SELECT scope, place, joined, indicator_id, period_id, ord, CASE WHEN reporting >= expected THEN total END, reporting
  FROM aggregate_series
),
baseline AS (
  SELECT scope, place, indicator_id, MIN(ord) AS ord FROM series
  WHERE s IS NOT NULL AND ord >= (CASE WHEN joined > {base} THEN joined ELSE {base} END)
  GROUP BY scope, place, indicator_id
),
goal AS (
  SELECT t.id, t.indicator_id, t.scope, COALESCE(t.unit_id, t.group_id, 0) AS place, p.ordinal AS ord,
         CAST(t.value AS DOUBLE PRECISION) AS value, t.comparison, t.applies_to
  FROM {target} t JOIN {period} p ON p.id = t.period_id WHERE t.plan_id = %s
),
place_goal AS (
  SELECT id, indicator_id, scope, place, ord, value, comparison FROM goal WHERE scope <> '{Scope.EACH_UNIT}'
  UNION ALL
  SELECT g.id, g.indicator_id, '{Scope.UNIT}', pu.unit_id, g.ord, g.value, g.comparison
  FROM goal g CROSS JOIN places_unit pu WHERE g.scope = '{Scope.EACH_UNIT}'
    AND (g.applies_to = '{AppliesTo.ALL_UNITS}' OR pu.kind <> '{UnitKind.FUNCTIONAL_ZONE}') AND NOT EXISTS (
    SELECT 1 FROM goal q WHERE q.scope = '{Scope.UNIT}' AND q.place = pu.unit_id AND q.indicator_id = g.indicator_id)
),
place AS (
  SELECT '{Scope.UNIT}' AS scope, unit_id AS place, joined, group_id FROM places_unit
  UNION ALL SELECT scope, place, 0, NULL FROM aggregate_place
),
grid AS (
  SELECT p.scope, p.place, p.joined, p.group_id, k.id AS indicator_id, q.id AS period_id, q.ord,
         CASE WHEN p.scope = '{Scope.UNIT}' THEN (CASE WHEN p.joined <= q.ord THEN 1 ELSE 0 END)
              ELSE e.n + k.zone_ratio * e.zones END AS expected
  FROM place p CROSS JOIN kind k JOIN quarter q ON q.ord >= {base}
  LEFT JOIN expected e ON e.scope = p.scope AND e.place = p.place AND e.period_id = q.id
),
targeted AS (
  SELECT grid.*, g.id AS target_id, g.ord AS g_ord, g.value AS g_value, g.comparison AS g_comparison,
         ROW_NUMBER() OVER (PARTITION BY grid.scope, grid.place, grid.indicator_id, grid.period_id
                            ORDER BY CASE WHEN g.ord >= grid.ord THEN 0 ELSE 1 END,
                                     CASE WHEN g.ord >= grid.ord THEN g.ord ELSE -g.ord END) AS choice
  FROM grid LEFT JOIN place_goal g
    ON g.scope = grid.scope AND g.place = grid.place AND g.indicator_id = grid.indicator_id
),
measured AS (
  SELECT t.scope, t.place, t.group_id, t.indicator_id, t.period_id, t.ord, t.target_id, t.g_ord, t.g_value,
         t.g_comparison, k.method, k.direction, k.money, b.ord AS b_ord, t.expected,
         COALESCE(v.reporting, 0) AS reporting,
         CASE WHEN k.method = '{Method.GROWTH_RATE}' THEN NULL ELSE bv.s END AS baseline_value,
         {annual_growth("y.s", "v.s", "1")} * 100 AS yoy,
         CASE WHEN t.ord >= b.ord + 4 AND t.ord <= {int(data_until)} AND v.s IS NOT NULL
              THEN {annual_growth("bv.s", "lag.s", "(t.ord - (t.ord - b.ord) %% 4 - b.ord) / 4.0")} * 100 END AS growth,
         v.s AS series_value
  FROM targeted t JOIN kind k ON k.id = t.indicator_id
  LEFT JOIN series v ON v.scope = t.scope AND v.place = t.place AND v.indicator_id = t.indicator_id AND v.ord = t.ord
  LEFT JOIN series y ON y.scope = t.scope AND y.place = t.place AND y.indicator_id = t.indicator_id
    AND y.ord = t.ord - 4
  LEFT JOIN baseline b ON b.scope = t.scope AND b.place = t.place AND b.indicator_id = t.indicator_id
  LEFT JOIN series bv ON bv.scope = t.scope AND bv.place = t.place AND bv.indicator_id = t.indicator_id
    AND bv.ord = b.ord
  LEFT JOIN series lag ON lag.scope = t.scope AND lag.place = t.place AND lag.indicator_id = t.indicator_id
    AND lag.ord = t.ord - (t.ord - b.ord) %% 4
  WHERE t.choice = 1
),
valued AS (
  SELECT m.*, CASE WHEN m.method = '{Method.GROWTH_RATE}' THEN m.growth ELSE m.series_value END AS value,
         CASE WHEN m.target_id IS NOT NULL AND m.b_ord IS NOT NULL THEN m.g_ord - m.b_ord END AS quarters,
         CASE WHEN m.b_ord IS NOT NULL THEN m.ord - m.b_ord ELSE 0 END AS elapsed,
         CASE WHEN m.method = '{Method.GROWTH_RATE}' THEN 1 ELSE 0 END AS is_rate
  FROM measured m
),
shared AS (
  SELECT v.*, CASE WHEN quarters > 0 THEN (CASE WHEN elapsed * 1.0 / quarters < 0 THEN 0.0
                   WHEN elapsed * 1.0 / quarters > 1 THEN 1.0 ELSE elapsed * 1.0 / quarters END) ELSE 1.0 END AS share,
         quarters - elapsed AS remaining,
         {annual_growth("baseline_value", "value", "elapsed / 4.0")} AS observed,
         {annual_growth("baseline_value", "g_value", "quarters / 4.0")} AS needed,
         {reached("value")} AS value_reached, {reached("baseline_value")} AS baseline_reached
  FROM valued v
),
assessed AS (
  SELECT scope, place, group_id, indicator_id, period_id, value, reporting, expected, baseline_value, g_value, quarters,
    remaining, is_rate, value_reached,
    CASE WHEN quarters IS NULL OR value IS NULL THEN NULL
         WHEN is_rate = 1 OR baseline_value IS NULL THEN (CASE WHEN g_value <> 0 THEN 100 * value / g_value END)
         WHEN g_value = baseline_value OR baseline_reached THEN (CASE WHEN value_reached THEN 100.0 ELSE 0.0 END)
         ELSE 100 * (value - baseline_value) / (g_value - baseline_value) END AS progress,
    CASE WHEN quarters IS NOT NULL THEN 100 * share END AS expected_progress,
    CASE WHEN quarters IS NOT NULL THEN baseline_value + (g_value - baseline_value) * share END AS expected_value,
    CASE WHEN quarters IS NOT NULL THEN value - g_value END AS gap,
    CASE WHEN quarters IS NULL OR value IS NULL OR elapsed <= 0 OR quarters <= 0 THEN NULL
         WHEN is_rate = 1 THEN (CASE WHEN g_value <> 0 THEN value / g_value END)
         WHEN baseline_value IS NULL OR baseline_reached THEN NULL
         WHEN observed IS NOT NULL AND needed IS NOT NULL AND needed <> 0 THEN observed / needed
         WHEN g_value <> baseline_value
           THEN ((value - baseline_value) / elapsed) / ((g_value - baseline_value) / quarters)
         END AS pace_ratio,
    CASE WHEN quarters IS NOT NULL AND value IS NOT NULL AND baseline_value IS NOT NULL AND elapsed > 0 AND is_rate = 0
         THEN value + (value - baseline_value) / elapsed * (CASE WHEN remaining > 0 THEN remaining ELSE 0 END)
         END AS projected_linear,
    CASE WHEN quarters IS NOT NULL AND value IS NOT NULL AND baseline_value IS NOT NULL AND elapsed > 0 AND is_rate = 0
         AND money = 1 AND observed IS NOT NULL
         THEN value * POWER(1 + observed, (CASE WHEN remaining > 0 THEN remaining ELSE 0 END) / 4.0)
         END AS projected_compound,
    CASE WHEN method IN ('{SUMS[0]}', '{SUMS[1]}') THEN yoy END AS yoy_growth,
    CASE WHEN method IN ('{SUMS[0]}', '{SUMS[1]}', '{Method.GROWTH_RATE}') THEN growth END AS avg_annual_growth,
    direction
  FROM shared
),
stated AS (
  SELECT a.*,
    CASE WHEN quarters IS NULL OR value IS NULL THEN '{Status.NO_DATA}'
         WHEN value_reached AND (is_rate = 0 OR remaining <= 0) THEN '{Status.ACHIEVED}'
         WHEN remaining <= 0 THEN '{Status.OFF_TRACK}'
         WHEN pace_ratio IS NULL THEN (CASE WHEN value_reached OR (expected_value IS NOT NULL
           AND expected_value <> g_value AND (CASE WHEN direction = '{Direction.DOWN}' THEN value <= expected_value
           ELSE value >= expected_value END)) THEN '{Status.ON_TRACK}' ELSE '{Status.OFF_TRACK}' END)
         WHEN pace_ratio >= {ON_TRACK_AT} THEN '{Status.ON_TRACK}'
         WHEN pace_ratio >= {AT_RISK_AT} THEN '{Status.AT_RISK}'
         ELSE '{Status.OFF_TRACK}' END AS status,
    CASE WHEN a.scope = '{Scope.UNIT}' AND a.value IS NOT NULL AND a.reporting > 0 THEN
      RANK() OVER (PARTITION BY a.scope, a.value IS NULL OR a.reporting = 0, a.indicator_id, a.period_id
                   ORDER BY {sort_key}) END AS rank_all,
    CASE WHEN a.scope = '{Scope.UNIT}' AND a.value IS NOT NULL AND a.reporting > 0 THEN
      RANK() OVER (PARTITION BY a.scope, a.value IS NULL OR a.reporting = 0, a.indicator_id, a.period_id, a.group_id
                   ORDER BY {sort_key}) END
      AS rank_in_group
  FROM assessed a
)
SELECT scope, place, indicator_id, period_id, value, reporting, expected, baseline_value, g_value, progress,
       expected_progress, expected_value, gap, pace_ratio, projected_linear, projected_compound, status, yoy_growth,
       avg_annual_growth, rank_all, rank_in_group
FROM stated"""
    return sql, params + [plan.pk]


def snapshot_counts(plan) -> list:
    """Run the statement, counting each column's values on the server: the rows and how many of each are set."""
    sql, params = snapshot_sql(plan)
    counts = ", ".join(f"COUNT({column})" for column in ("scope", *COLUMNS))
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {counts} FROM ({sql}) AS snapshot", params)
        return list(cursor.fetchone())


def snapshot_rows(plan) -> list[tuple]:
    sql, params = snapshot_sql(plan)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def copy_rows(header: list[str], rows: list[list]) -> int:
    """Load rows into a temporary table of text columns: COPY on PostgreSQL, executemany elsewhere."""
    columns = ", ".join(f"c{i} text" for i in range(len(header)))
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_copy")
        cursor.execute(f"CREATE TEMPORARY TABLE bench_copy ({columns})")
        if connection.vendor == "postgresql":
            buffer = io.StringIO()
            csv.writer(buffer).writerows(rows)
            buffer.seek(0)
            cursor.cursor.copy_expert("COPY bench_copy FROM STDIN WITH (FORMAT csv)", buffer)
        else:
            marks = ", ".join(["%s"] * len(header))
            cursor.executemany(f"INSERT INTO bench_copy VALUES ({marks})", rows)
        cursor.execute("SELECT COUNT(*) FROM bench_copy")
        count = cursor.fetchone()[0]
        cursor.execute("DROP TABLE bench_copy")
    return count
