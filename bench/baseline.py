# ruff: noqa: S608 -- SQL built from model table/column names only; every value is a query parameter
"""The physical baselines the portal is measured against: one hand-written SQL statement, and COPY.

`sums_and_progress_sql` computes, for one plan, what the dashboard computation computes for its sum
indicators: the approved value per unit, group (with its subgroups, as the portal's group totals) and city
and quarter, the baseline value and the progress towards the last target. It is written from the registry
and the plan's indicators, so it follows them.
It is plain SQL that PostgreSQL and SQLite both run (UNION ALL instead of GROUPING SETS).
"""
import csv
import io

from django.db import connection

from districts.models import Submission, Unit, UnitGroup
from districts.registry import sections
from indicators.choices import Method, Scope
from indicators.models import Indicator, Target


def sums_and_progress_sql(plan) -> tuple[str, list]:
    indicators = [i for i in Indicator.objects.filter(method__in=[Method.STOCK_SUM, Method.FLOW_SUM]) if i.figure]
    submission, unit, group, target = (m._meta.db_table for m in (Submission, Unit, UnitGroup, Target))
    parts, params = [], []
    for indicator in indicators:
        section, figure = sections.figure(indicator.figure)
        parts.append(
            f"SELECT f.unit_id, f.period_id, {int(indicator.pk)} AS indicator_id, f.{figure.field} AS v "
            f"FROM {section.model._meta.db_table} f JOIN {submission} s "
            f"ON s.unit_id = f.unit_id AND s.period_id = f.period_id AND s.state = %s "
            f"WHERE f.{figure.field} IS NOT NULL"
        )
        params.append("approved")
    sql = f"""
WITH RECURSIVE covers(group_id, leaf_id) AS (
  SELECT id, id FROM {group}
  UNION ALL SELECT g.parent_id, c.leaf_id FROM covers c JOIN {group} g ON g.id = c.group_id
  WHERE g.parent_id IS NOT NULL
),
vals AS ({" UNION ALL ".join(parts)}),
per_unit AS (
  SELECT v.unit_id, u.group_id, u.counts_toward_city_total AS counted, v.period_id, v.indicator_id, SUM(v.v) AS value
  FROM vals v JOIN {unit} u ON u.id = v.unit_id GROUP BY v.unit_id, u.group_id, u.counts_toward_city_total,
  v.period_id, v.indicator_id
),
scoped AS (
  SELECT 'unit' AS scope, unit_id AS place, period_id, indicator_id, value FROM per_unit
  UNION ALL SELECT 'group', c.group_id, period_id, indicator_id, SUM(value) FROM per_unit
    JOIN covers c ON c.leaf_id = per_unit.group_id WHERE counted GROUP BY c.group_id, period_id, indicator_id
  UNION ALL SELECT 'city', 0, period_id, indicator_id, SUM(value) FROM per_unit WHERE counted
    GROUP BY period_id, indicator_id
),
goal AS (
  SELECT indicator_id, scope, COALESCE(unit_id, group_id, 0) AS place, MAX(value) AS value FROM {target}
  WHERE plan_id = %s GROUP BY indicator_id, scope, COALESCE(unit_id, group_id, 0)
)
SELECT s.scope, s.place, s.period_id, s.indicator_id, s.value, b.value AS baseline,
  COALESCE(g.value, e.value) AS target,
  (s.value - b.value) * 100.0 / NULLIF(COALESCE(g.value, e.value) - b.value, 0) AS progress
FROM scoped s
LEFT JOIN scoped b ON b.scope = s.scope AND b.place = s.place AND b.indicator_id = s.indicator_id AND b.period_id = %s
LEFT JOIN goal g ON g.indicator_id = s.indicator_id AND g.scope = s.scope AND g.place = s.place
LEFT JOIN goal e ON e.indicator_id = s.indicator_id AND e.scope = %s AND s.scope = 'unit'
"""
    return sql, params + [plan.pk, plan.baseline_id, Scope.EACH_UNIT]


def run_sums_and_progress(plan) -> int:
    sql, params = sums_and_progress_sql(plan)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return len(cursor.fetchall())


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
