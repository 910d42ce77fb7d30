"""A typed Python client generated from the OpenAPI document (openapi-python-client) does a consumer's work:
pull a quarter's indicator values, poll them with the ETag, pull what changed since a time, then dry-run
and write a district's bulk file with a write key. If the generated client cannot, the document is wrong."""
import csv
import importlib
import io
import json
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from django.utils import timezone

from districts.models import Period
from districts.services import period_open
from enterprises.models import EnterpriseFigures
from indicators.models import IndicatorValue
from portal.wsgi import application
from tests.test_api_schema import connection_kept_across_requests  # noqa: F401

GENERATOR = Path(sys.executable).parent / "openapi-python-client"
# A district's bulk file as its clerk keeps it: unit code, quarter, then value keys.
BULK_FILE = "unit,period,enterprises.tech_smes,enterprises.high_tech\n500112,2026Q3,1250,160\n"


@pytest.fixture(scope="module")
def portal_client(tmp_path_factory, django_db_setup, django_db_blocker):
    """The package generated from the document the running code serves (no network: the generator is local)."""
    with django_db_blocker.unblock():
        document = httpx.Client(transport=httpx.WSGITransport(app=application), base_url="http://localhost").get(
            "/api/schema/", params={"format": "json"}
        )
    assert document.status_code == 200
    folder = tmp_path_factory.mktemp("generated")
    (folder / "schema.json").write_text(document.text)
    (folder / "config.yml").write_text("post_hooks: []\n")  # the generator would run ruff over its output
    subprocess.run([str(GENERATOR), "generate", "--path", "schema.json", "--meta", "none", "--output-path",
                    "portal_client", "--config", "config.yml"], cwd=folder, check=True, capture_output=True)
    sys.path.insert(0, str(folder))
    try:
        yield importlib.import_module("portal_client")
    finally:
        sys.path.remove(str(folder))
        for name in [name for name in sys.modules if name.split(".")[0] == "portal_client"]:
            del sys.modules[name]


def operation(name: str):
    return importlib.import_module(f"portal_client.api.v1.{name}")


@pytest.fixture
def connect(portal_client, connection_kept_across_requests):  # noqa: F811
    def client(full_key: str):
        return portal_client.AuthenticatedClient(
            base_url="http://localhost", token=full_key, prefix="Api-Key", raise_on_unexpected_status=True,
            httpx_args={"transport": httpx.WSGITransport(app=application)},
        )

    return client


def test_every_list_parses_into_the_generated_types(connect, api_key, api_rows):
    reader = connect(api_key("read"))
    lists = sorted(path.stem for path in (Path(sys.modules["portal_client"].__file__).parent / "api" / "v1").glob(
        "v1_*_list.py"))
    assert len(lists) >= 16
    for name in lists:
        response = operation(name).sync_detailed(client=reader, page_size=2)
        assert response.status_code == 200, name
        assert response.parsed.count >= len(response.parsed.results) > 0, name


def test_a_consumer_pulls_a_quarter_polls_with_the_etag_and_writes_a_bulk_file_with_a_write_key(
    connect, api_key, api_rows, city_staff
):
    reader = connect(api_key("indicators"))
    values = operation("v1_indicator_values_list")

    # A quarter's indicator values, all in one page.
    pulled = values.sync_detailed(client=reader, period_after="2025Q4", period_before="2025Q4", page_size=1000)
    assert pulled.status_code == 200
    expected = IndicatorValue.objects.filter(period__year=2025, period__quarter=4)
    assert sorted(row.id for row in pulled.parsed.results) == sorted(expected.values_list("pk", flat=True))
    assert {row.period for row in pulled.parsed.results} == {"2025Q4"}

    # The same poll with the ETag: nothing changed, nothing sent.
    poll = values.sync_detailed(client=reader, period_after="2025Q4", period_before="2025Q4", page_size=1000,
                                if_none_match=pulled.headers["ETag"])
    assert (poll.status_code, poll.content) == (304, b"")

    # A district's write key: a dry run of its bulk file answers what would change and writes nothing.
    period_open(user=city_staff, period=Period.objects.get_by_code("2026Q3"), deadline=None)
    writer = connect(api_key("write", "500112"))
    bulk = operation("v1_figures_bulk_create")
    models = importlib.import_module("portal_client.models")
    rows = [models.BulkRequestRequestRowsItem.from_dict(row) for row in csv.DictReader(io.StringIO(BULK_FILE))]
    since = timezone.now()
    dry = bulk.sync_detailed(client=writer, body=models.BulkRequestRequest(rows=rows), dry_run=True)
    assert dry.status_code == 200
    assert (dry.parsed.dry_run, dry.parsed.written, dry.parsed.created) == (True, False, 2)
    assert not EnterpriseFigures.objects.filter(period__year=2026, period__quarter=3).exists()

    written = bulk.sync(client=writer, body=models.BulkRequestRequest(rows=rows))
    assert (written.written, written.created) == (True, 2)

    # What changed since the dry run: exactly the written quarter.
    figures = operation("v1_enterprise_figures_list")
    changed = figures.sync(client=connect(api_key("read")), updated_after=since)
    assert [(row.unit, row.period, row.tech_smes, row.high_tech) for row in changed.results] == [
        ("500112", "2026Q3", 1250, 160)]

    # The quarter read back through its two path parameters.
    quarter = operation("v1_figures_retrieve").sync(client=writer, unit="500112", period="2026Q3")
    assert json.loads(json.dumps(quarter.to_dict()))["values"]["enterprises.tech_smes"] == "1250.00"
