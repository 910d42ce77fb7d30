"""PostgreSQL restarted (a private cluster, never the shared server) while the portal, served by gunicorn
with production settings, is in the middle of a save and of an import.

The request is stopped in the middle for real: the test holds the row lock of the quarter being written,
and restarts the server once the request waits for it. The user gets a 503 that says what happened,
nothing of the request is in the database, and the same action succeeds afterwards on the same gunicorn
workers, whose persistent connections the restart broke.
"""
from concurrent.futures import ThreadPoolExecutor

import psycopg2
import pytest
import requests

from districts.choices import ImportStatus
from districts.models import ImportJob, Period, Submission, Unit
from districts.tests.files import csv_bytes, header_of
from enterprises.models import EnterpriseFigures
from tests.faults.locks import RowLock
from tests.faults.processes import copy_of_test_database, portal_server

pytestmark = pytest.mark.faults

TECH = "enterprises.tech_smes"
CSRF_SECRET = "faultstestcsrfsecret0123456789ab"  # a 32-character CSRF secret, sent as cookie and header


def query(database_url: str, sql: str, params=()) -> list[tuple]:
    with psycopg2.connect(database_url) as connection, connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    connection.close()
    return rows


def stored(database_url: str, period: Period) -> tuple:
    """The quarter's tech SMEs per unit, their history rows and the submissions' versions, as the server has them."""
    figures, history = EnterpriseFigures._meta.db_table, EnterpriseFigures.history.model._meta.db_table
    return (
        query(database_url, f"SELECT unit_id, tech_smes FROM {figures} WHERE period_id = %s ORDER BY 1", [period.pk]),
        query(database_url, f"SELECT unit_id, count(*) FROM {history} WHERE period_id = %s GROUP BY 1 ORDER BY 1",
              [period.pk]),
        query(database_url, f"SELECT unit_id, version FROM {Submission._meta.db_table} WHERE period_id = %s "
                            "ORDER BY 1", [period.pk]),
    )


def while_restarting(cluster, lock: RowLock, send):
    """Send a request, restart the cluster once the request waits for `lock`; the request's response."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        sending = pool.submit(send)
        try:
            lock.wait_until_someone_waits()
            cluster.restart()
        finally:
            lock.release()
        return sending.result(timeout=60)


def test_postgres_restarted_during_a_save_answers_503_writes_nothing_and_the_save_then_succeeds(
    private_postgres, tmp_path, quarter, api_key
):
    yubei = Unit.objects.get(code="500112")
    key = api_key("write", "500112")
    database = copy_of_test_database(private_postgres, "portal_save", tmp_path)
    before = stored(database, quarter)
    headers = {"Authorization": f"Api-Key {key}"}
    lock = RowLock(database, Submission._meta.db_table, Submission.objects.get(unit=yubei, period=quarter).pk)

    with portal_server(database) as server:
        url = f"{server}/api/v1/figures/500112/2026Q3/"
        reads_before = [requests.get(url, headers=headers, timeout=30).status_code for _ in range(4)]
        during = while_restarting(private_postgres, lock, lambda: requests.patch(
            url, json={"values": {TECH: 1500}}, headers=headers, timeout=60))
        after_the_restart = stored(database, quarter)
        again = requests.patch(url, json={"values": {TECH: 1500}}, headers=headers, timeout=60)
        reads_after = [requests.get(url, headers=headers, timeout=30).status_code for _ in range(4)]

    assert reads_before == [200] * 4
    assert during.status_code == 503, during.text
    assert during.json()["code"] == "database_unavailable" and "没有写入任何数据" in during.json()["message"]["zh"]
    assert after_the_restart == before
    assert again.status_code == 200, again.text
    assert reads_after == [200] * 4, "every gunicorn worker reconnected by itself"
    figures, history, versions = stored(database, quarter)
    assert figures == [(yubei.pk, 1500)]
    assert history == [(yubei.pk, 1)]
    assert versions == [(unit, version + (unit == yubei.pk)) for unit, version in before[2]]


def test_postgres_restarted_during_an_import_shows_a_clear_page_writes_nothing_and_the_import_then_succeeds(
    private_postgres, tmp_path, quarter, city_staff, client
):
    units = list(Unit.objects.filter(code__in=["500112", "500101"]).order_by("order", "code"))
    in_file = {unit.pk: 300 + index for index, unit in enumerate(units)}
    content = csv_bytes([["单位代码", "单位名称", header_of(TECH)], *([u.code, u.name, in_file[u.pk]] for u in units)])
    client.force_login(city_staff)  # the session row travels with the copy of the database
    cookies = {"sessionid": client.cookies["sessionid"].value, "csrftoken": CSRF_SECRET}
    headers = {"X-CSRFToken": CSRF_SECRET}
    database = copy_of_test_database(private_postgres, "portal_import", tmp_path)
    before = stored(database, quarter)
    last_quarter = Submission.objects.get(unit=units[-1], period=quarter).pk

    with portal_server(database) as server:
        uploaded = requests.post(f"{server}/data/import/", data={"period": quarter.pk},
                                 files={"file": ("两区.csv", content)}, cookies=cookies, headers=headers,
                                 allow_redirects=False, timeout=60)
        job_url = f"{server}{uploaded.headers['Location']}"
        # The import saves the quarters in unit order: the last one's lock stops it with the first written.
        lock = RowLock(database, Submission._meta.db_table, last_quarter)
        during = while_restarting(private_postgres, lock, lambda: requests.post(
            f"{job_url}confirm/", cookies=cookies, headers=headers, allow_redirects=False, timeout=60))
        after_the_restart = stored(database, quarter)
        job_status = query(database, f"SELECT status FROM {ImportJob._meta.db_table}")
        again = requests.post(f"{job_url}confirm/", cookies=cookies, headers=headers, allow_redirects=False,
                              timeout=60)

    assert uploaded.status_code == 302, uploaded.text[:2000]
    assert during.status_code == 503
    assert "数据库暂时不可用" in during.text and "Traceback" not in during.text
    assert after_the_restart == before
    assert job_status == [(ImportStatus.READY,)], "the confirmation was rolled back with the rest"
    assert again.status_code == 302, again.text[:2000]
    assert query(database, f"SELECT status FROM {ImportJob._meta.db_table}") == [(ImportStatus.DONE,)]
    figures, history, _versions = stored(database, quarter)
    assert figures == sorted(in_file.items())
    assert history == [(unit, 1) for unit in sorted(in_file)]
