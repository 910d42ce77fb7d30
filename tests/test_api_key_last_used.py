"""A read does not write: a key's "last used" stamp is written at most once a minute, after the request's
transaction, and a stamp that cannot be written never fails the request. Real commits (transactional_db):
the stamp is written when the request's transaction commits."""
import datetime
import threading
import urllib.request

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from conftest import is_postgres
from districts.models import ApiKey

pytestmark = pytest.mark.django_db(transaction=True)


def stamp_updates(queries) -> int:
    return sum(1 for q in queries if q["sql"].startswith("UPDATE") and "last_used" in q["sql"])


def test_a_key_notes_when_it_was_last_used(api_client, api_key):
    api_client.credentials(HTTP_AUTHORIZATION=f"Api-Key {api_key('read')}")
    assert ApiKey.objects.get().last_used is None
    before = timezone.now()
    assert api_client.get("/api/v1/groups/").status_code == 200
    assert ApiKey.objects.get().last_used >= before


def test_reads_within_a_minute_write_the_stamp_once_and_a_read_after_a_quiet_minute_writes_it_again(
    api_client, api_key
):
    api_client.credentials(HTTP_AUTHORIZATION=f"Api-Key {api_key('read')}")
    with CaptureQueriesContext(connection) as first:
        for _ in range(5):
            assert api_client.get("/api/v1/groups/").status_code == 200
    assert stamp_updates(first.captured_queries) == 1

    two_minutes_ago = timezone.now() - datetime.timedelta(minutes=2)
    ApiKey.objects.update(last_used=two_minutes_ago)
    with CaptureQueriesContext(connection) as later:
        for _ in range(3):
            assert api_client.get("/api/v1/groups/").status_code == 200
    assert stamp_updates(later.captured_queries) == 1
    assert ApiKey.objects.get().last_used > two_minutes_ago


@pytest.fixture
def stamp_refused_by_the_database():
    """A trigger that makes every write of last_used fail, as a locked database file would."""
    if connection.vendor == "postgresql":
        create = ["CREATE FUNCTION refuse_stamp() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'refused'; END $$ "
                  "LANGUAGE plpgsql",
                  "CREATE TRIGGER refuse_stamp BEFORE UPDATE OF last_used ON districts_apikey FOR EACH ROW "
                  "EXECUTE FUNCTION refuse_stamp()"]
        drop = ["DROP TRIGGER refuse_stamp ON districts_apikey", "DROP FUNCTION refuse_stamp()"]
    else:
        create = ["CREATE TRIGGER refuse_stamp BEFORE UPDATE OF last_used ON districts_apikey "
                  "BEGIN SELECT RAISE(ABORT, 'refused'); END"]
        drop = ["DROP TRIGGER refuse_stamp"]
    with connection.cursor() as cursor:
        for sql in create:
            cursor.execute(sql)
    yield
    with connection.cursor() as cursor:
        for sql in drop:
            cursor.execute(sql)


def test_a_stamp_the_database_refuses_does_not_fail_the_read(api_client, api_key, stamp_refused_by_the_database):
    api_client.credentials(HTTP_AUTHORIZATION=f"Api-Key {api_key('read')}")
    response = api_client.get("/api/v1/units/", {"page_size": 5})
    assert response.status_code == 200
    assert len(response.json()["results"]) == 5
    assert ApiKey.objects.get().last_used is None


@pytest.mark.skipif(not is_postgres(), reason="the in-memory SQLite test database is one connection that the live "
                    "server's threads share; parallel reads on an SQLite file are tested with its WAL settings")
def test_parallel_reads_with_a_key_idle_for_a_minute_all_answer(live_server, api_key):
    full_key = api_key("read")
    ApiKey.objects.update(last_used=timezone.now() - datetime.timedelta(minutes=2))
    statuses = []

    def read():
        request = urllib.request.Request(f"{live_server.url}/api/v1/units/",
                                         headers={"Authorization": f"Api-Key {full_key}"})
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                statuses.append(response.status)
        except urllib.error.HTTPError as error:
            statuses.append(error.code)

    threads = [threading.Thread(target=read) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [200] * 8
    assert ApiKey.objects.get().last_used > timezone.now() - datetime.timedelta(minutes=1)
