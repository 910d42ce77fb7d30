"""A consumer's session: city staff create a key in the admin; the statistics bureau pulls 2025Q4
indicator values of one group as CSV, then polls again with the ETag and gets 304."""
import csv
import io
import re

from rest_framework.test import APIClient

from indicators.models import IndicatorValue

URL = "/api/v1/indicator-values/"
QUERY = {"group": "north", "period_after": "2025Q4", "period_before": "2025Q4", "format": "csv", "page_size": 1000}


def test_a_consumer_pulls_a_groups_2025q4_values_as_csv_then_polls_and_gets_304(
    client_for, city_staff_of_world, reported_world
):
    page = client_for(city_staff_of_world).post(
        "/admin/districts/apikey/add/",
        {"name": "市统计局数据接口", "scope": "indicators", "throttle_rate": "100/minute"}, follow=True,
    )
    message = next(str(m) for m in page.context["messages"] if "只显示这一次" in str(m))
    full_key = re.search(r"：(\S+)$", message).group(1)

    consumer = APIClient()
    consumer.credentials(HTTP_AUTHORIZATION=f"Api-Key {full_key}")
    response = consumer.get(URL, QUERY)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    in_2025q4 = IndicatorValue.objects.filter(period__year=2025, period__quarter=4)
    north = reported_world.north
    assert len(rows) == in_2025q4.filter(group=north).count() + in_2025q4.filter(unit__group=north).count() > 0
    assert {row["period"] for row in rows} == {"2025Q4"}
    assert {row["unit"] for row in rows if row["unit"]} == {"900001", "900002"}

    poll = consumer.get(URL, QUERY, HTTP_IF_NONE_MATCH=response["ETag"])
    assert poll.status_code == 304
    assert poll.content == b""
