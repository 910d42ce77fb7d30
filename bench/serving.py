"""Measure 3: the served pages and API under load against the bare `.values()` view, and their warm query counts.

Every endpoint asks for the same rows as the bare view: one plan, one indicator, one quarter, every unit
the viewer may see (a municipal viewer: all of them), so the ratio is the cost of the portal's serving.
"""
import json

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from bench.api_client import user_with_role
from bench.generate import analyze
from bench.load import hammer
from indicators.api import IndicatorValueViewSet
from portal import roles

INDICATOR = "tech_smes"
# A cached page read warm should beat the bare query it is measured against; the downloads at least half of it.
AT_LEAST = {"总览页": 1.0, "API JSON": 1.0}


def endpoints(*, plan, period: str) -> tuple[str, dict[str, str]]:
    """The bare view's path, and the served paths measured against it."""
    query = f"plan={plan.code}&period={period}&indicator={INDICATOR}"
    one_quarter = (f"plan={plan.code}&indicator={INDICATOR}&scope=unit&period_after={period}&period_before={period}"
                   f"&page_size={IndicatorValueViewSet.pagination_class.max_page_size}")
    return f"/bench/bare-values/?{query}", {
        "总览页": f"/dashboards/?{query}",
        "单位表 CSV": f"/dashboards/data/units.csv?{query}",
        "API JSON": f"/api/v1/indicator-values/?{one_quarter}",
        "API CSV": f"/api/v1/indicator-values/?{one_quarter}&format=csv",
    }


def warm_query_count(client: Client, path: str) -> int:
    client.get(path)  # fills the caches
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return len(queries)


def measure_serving(*, plan, period: str, base_url: str | None, seconds: float, clients: int, row):
    analyze()  # the snapshot was just bulk-loaded
    viewer = user_with_role("bench_viewer", roles.MUNICIPAL_VIEWER)
    client = Client()
    client.force_login(viewer)
    bare_path, served = endpoints(plan=plan, period=period)
    overview_queries = warm_query_count(client, served["总览页"])
    row("总览页 SQL 查询数（缓存已热）", overview_queries, "queries", target="≤ 6", met=overview_queries <= 6)
    row("API JSON SQL 查询数", warm_query_count(client, served["API JSON"]), "queries")
    rows = len(client.get(bare_path).json()["results"])
    assert client.get(served["API JSON"]).json()["count"] == rows, "the API must serve the bare view's rows"
    if not base_url:
        return
    cookie = f"sessionid={client.cookies['sessionid'].value}"
    bare = hammer(base_url + bare_path, cookie=cookie, seconds=seconds, clients=clients)
    row("裸视图 .values() JSON", bare["rps"], "req/s", note=json.dumps(bare))
    for name, path in served.items():
        result = hammer(base_url + path, cookie=cookie, seconds=seconds, clients=clients)
        ratio = result["rps"] / bare["rps"] if bare["rps"] else None
        least = AT_LEAST.get(name, 0.5)
        row(f"{name} 吞吐", result["rps"], "req/s", baseline_value=bare["rps"], ratio=ratio, target=f"≥ {least}",
            met=bool(ratio and ratio >= least and result["errors"] == 0), note=json.dumps(result))
        row(f"{name} p95", result["p95_ms"], "ms", note=f"errors {result['errors']}")
