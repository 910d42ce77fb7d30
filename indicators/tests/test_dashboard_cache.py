"""The cached dashboards: a warm overview costs a handful of queries, and a cached page never outlives its data."""
import csv
import io
import re

from django.db.models import F
from django.test import Client

from districts.models import Period, Submission, Unit
from districts.services import ExplanationsMissing, figures_save, period_open, submission_approve, submission_submit
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

    # A warm overview reads, outside any request transaction: the session, the user, its own and its groups'
    # permissions, its groups, and the latest succeeded run together with whether newer data is waiting (the cache
    # key), the last always fresh. The registry's version comes from the cache: no registry table is read, however
    # large the registry.
    with django_assert_max_num_queries(6) as warm:
        again = client.get("/dashboards/", QUERY).content.decode()

    assert not [query for query in warm.captured_queries if "enterprises_" in query["sql"]]
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


def test_two_clerks_never_get_each_others_rows_and_an_approval_is_served_at_once(
    reported, yubei_clerk, wanzhou_clerk, city_staff, django_capture_on_commit_callbacks
):
    """Both clerks warm the overview, its download and the API list of the same quarter; each keeps getting only
    their own unit's row, and after an approval, then a correction, the next request serves the new value."""
    yubei, quarter = Unit.objects.get(code="500112"), Period.objects.get_by_code("2024Q1")
    page = {**QUERY, "period": "2024Q1"}
    api = {"plan": PLAN, "indicator": "tech_smes", "scope": "unit", "period_after": "2024Q1",
           "period_before": "2024Q1"}
    clients = {}
    for clerk in (yubei_clerk, wanzhou_clerk):
        clients[clerk] = Client()
        clients[clerk].force_login(clerk)

    def served(clerk) -> dict:
        """What each of the three says of each unit it shows: {unit code: value}; they must agree."""
        client = clients[clerk]
        html = client.get("/dashboards/", page).content.decode()
        in_ranking = set(re.findall(r'data-unit="(\d+)"', ranking(html)))
        text = client.get("/dashboards/data/units.csv", page).content.decode("utf-8-sig")
        in_csv = {row[1]: row[4] for row in list(csv.reader(io.StringIO(text)))[2:]}
        in_api = {row["unit"]: row["value"] for row in client.get("/api/v1/indicator-values/", api).json()["results"]}
        assert in_ranking == set(in_csv) == set(in_api), (in_ranking, in_csv, in_api)
        return {code: float(value) if value not in (None, "") else None for code, value in in_api.items()}

    def both() -> tuple[dict, dict]:
        served(yubei_clerk), served(wanzhou_clerk)  # the second round is served from the caches
        return served(yubei_clerk), served(wanzhou_clerk)

    before = both()
    assert set(before[0]) == {"500112"} and set(before[1]) == {"500101"}
    assert before[0]["500112"] != 900

    period_open(user=city_staff, period=quarter, deadline=None)
    figures_save(user=yubei_clerk, unit=yubei, period=quarter, values={"enterprises.tech_smes": 900})
    submission = Submission.objects.get(unit=yubei, period=quarter)
    try:
        submission_submit(user=yubei_clerk, submission=submission)
    except ExplanationsMissing as missing:  # a jump from 2023Q4: explain it
        submission_submit(user=yubei_clerk, submission=submission,
                          explanations={warning.figure: "新增入库企业" for warning in missing.problems})
    with django_capture_on_commit_callbacks(execute=True):  # the approval's run, computed at once (eager Celery)
        submission_approve(user=city_staff, submission=submission)

    approved = both()
    assert approved == ({"500112": 900}, before[1])

    with django_capture_on_commit_callbacks(execute=True):
        figures_save(user=city_staff, unit=yubei, period=quarter, values={"enterprises.tech_smes": 905})

    assert both() == ({"500112": 905}, before[1])
