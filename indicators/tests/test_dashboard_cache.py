"""The cached dashboards: a warm overview costs a handful of queries, and a cached page never outlives its data."""
import csv
import io

from django.db.models import F

from districts.models import Period, Unit
from enterprises.models import EnterpriseFigures
from indicators.choices import RunTrigger
from indicators.services import dashboard_run_create, dashboards_compute

PLAN = "double-doubling-2027"
QUERY = {"plan": PLAN, "period": "2023Q4", "indicator": "tech_smes"}


def ranking(html: str) -> str:
    start = html.index('id="ranking"')
    return html[start:html.index("</table>", start)]


def city_total(reported, code="2023Q4") -> int:
    counted = set(Unit.objects.filter(counts_toward_city_total=True).values_list("code", flat=True))
    return sum(value for (unit, period), value in reported.items() if period == code and unit in counted)


def units_csv(client) -> dict[str, float]:
    text = client.get("/dashboards/data/units.csv", QUERY).content.decode("utf-8-sig")
    return {row[1]: float(row[4]) for row in list(csv.reader(io.StringIO(text)))[2:]}  # code: value


def test_with_the_cache_warm_the_overview_costs_a_handful_of_queries(
    reported, city_viewer, client_for, django_assert_max_num_queries
):
    client = client_for(city_viewer)
    first = client.get("/dashboards/", QUERY).content.decode()

    # 1.–2. the request's savepoint and its release (ATOMIC_REQUESTS, inside the test's transaction)
    # 3. the session 4. the user 5.–6. its permissions, its own and its groups' (the page's permission check)
    # 7. its groups (restrict's role check) 8. the latest succeeded run (part of the cache key; "computed at")
    # 9. a run still pending 10. the latest approval (both read fresh: "newer data is waiting")
    # 11.–12. the registry's version (status records, registrations: the key of the kept lapse forecast)
    with django_assert_max_num_queries(12):
        again = client.get("/dashboards/", QUERY).content.decode()

    assert ranking(again) == ranking(first)
    assert f'data-field="value">{city_total(reported):,} ' in again


def test_a_one_unit_run_shows_on_the_overview_and_its_download_at_once(reported, city_viewer, client_for):
    client = client_for(city_viewer)
    client.get("/dashboards/", QUERY)  # fills the cache
    assert units_csv(client)["500112"] == reported["500112", "2023Q4"]
    yubei, period = Unit.objects.get(code="500112"), Period.objects.get_by_code("2023Q4")
    EnterpriseFigures.objects.filter(unit=yubei, period=period).update(tech_smes=F("tech_smes") + 1000)

    dashboards_compute(run=dashboard_run_create(trigger=RunTrigger.APPROVAL, unit=yubei, period=period))

    html = client.get("/dashboards/", QUERY).content.decode()
    assert f'data-field="value">{city_total(reported) + 1000:,} ' in html
    assert units_csv(client)["500112"] == reported["500112", "2023Q4"] + 1000


def test_a_renamed_unit_shows_without_a_recompute(reported, city_viewer, client_for):
    client = client_for(city_viewer)
    assert "渝北区" in ranking(client.get("/dashboards/", QUERY).content.decode())
    yubei = Unit.objects.get(code="500112")
    yubei.name = "渝北新区"
    yubei.save()

    assert "渝北新区" in ranking(client.get("/dashboards/", QUERY).content.decode())


def test_a_clerk_never_gets_the_page_cached_for_the_city(reported, city_viewer, yubei_clerk, wanzhou_clerk, client_for):
    assert 'data-unit="500101"' in client_for(city_viewer).get("/dashboards/", QUERY).content.decode()

    for clerk, own, other in ((yubei_clerk, "500112", "500101"), (wanzhou_clerk, "500101", "500112")):
        html = ranking(client_for(clerk).get("/dashboards/", QUERY).content.decode())
        assert f'data-unit="{own}"' in html and f'data-unit="{other}"' not in html
