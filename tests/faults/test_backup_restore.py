"""`manage.py backup` and `manage.py restore`: a backup restored into an empty database holds every row of
every table, so every figure with its history, every submission and every workflow event."""
import sqlite3

import psycopg2
import pytest
from django.core.management import call_command
from django.db import connection

from conftest import current_database_url, is_postgres
from districts.models import Period, Submission, SubmissionEvent, Unit
from districts.services import figures_save, period_open, submission_approve, submission_submit
from enterprises.models import EnterpriseFigures
from funds.models import EconomyFigures
from tests.faults.processes import manage

pytestmark = pytest.mark.faults


@pytest.fixture
def empty_database(transactional_db):
    """A new, empty database beside the test database, dropped afterwards; yields its URL."""
    if not is_postgres():
        pytest.skip("DATABASE_URL is not PostgreSQL: the pg_dump/pg_restore pair needs it")
    name = f"{connection.settings_dict['NAME']}_restored"
    admin = psycopg2.connect(current_database_url().rsplit("/", 1)[0] + "/postgres")
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{name}"')
    yield current_database_url().rsplit("/", 1)[0] + f"/{name}"
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.close()


def every_row(database_url: str) -> dict[str, list[tuple]]:
    """Every row of every table, read the same way from both databases (Django's cursor decodes JSON
    differently from a plain psycopg2 one)."""
    rows = {}
    with psycopg2.connect(database_url) as database, database.cursor() as cursor:
        for table in sorted(connection.introspection.table_names()):
            cursor.execute(f'SELECT * FROM "{table}"')
            rows[table] = sorted(cursor.fetchall(), key=repr)  # a history table's first column repeats
    database.close()
    return rows


def test_a_backup_restored_into_an_empty_database_has_every_figure_its_history_and_the_workflow(
    empty_database, tmp_path, city_staff, yubei_clerk
):
    yubei, period = Unit.objects.get(code="500112"), Period.objects.get_by_code("2026Q3")
    period_open(user=city_staff, period=period, deadline=None)
    figures_save(user=yubei_clerk, unit=yubei, period=period,
                 values={"enterprises.tech_smes": 1200, "economy.rd_spending": "35250.50"})
    submission = submission_submit(user=yubei_clerk, submission=Submission.objects.get(unit=yubei, period=period))
    submission_approve(user=city_staff, submission=submission)
    figures_save(user=city_staff, unit=yubei, period=period, values={"enterprises.tech_smes": 1210})
    backup_file = tmp_path / "portal.dump"

    call_command("backup", str(backup_file))
    restored = manage("restore", str(backup_file), database_url=empty_database)
    restored_again = manage("restore", str(backup_file), database_url=empty_database)

    assert restored.returncode == 0, restored.stderr
    assert restored_again.returncode != 0 and "not empty" in restored_again.stderr
    original, copied = every_row(current_database_url()), every_row(empty_database)
    assert copied == original
    for model in (EnterpriseFigures, EnterpriseFigures.history.model, EconomyFigures.history.model,
                  Submission, SubmissionEvent):
        assert copied[model._meta.db_table], f"{model.__name__} is empty, so the comparison proves nothing"


def test_on_sqlite_the_pair_copies_the_file_and_refuses_a_database_that_is_not_empty(tmp_path):
    original, backup_file, copy = tmp_path / "portal.sqlite3", tmp_path / "backup.sqlite3", tmp_path / "copy.sqlite3"
    with sqlite3.connect(original) as database:
        database.execute("CREATE TABLE figures (unit TEXT, tech_smes INTEGER)")
        database.executemany("INSERT INTO figures VALUES (?, ?)", [("500112", 1200), ("500101", 860)])
    database.close()

    backed_up = manage("backup", str(backup_file), database_url=f"sqlite:///{original}")
    restored = manage("restore", str(backup_file), database_url=f"sqlite:///{copy}")
    restored_again = manage("restore", str(backup_file), database_url=f"sqlite:///{copy}")

    assert backed_up.returncode == 0 and restored.returncode == 0, backed_up.stderr + restored.stderr
    assert restored_again.returncode != 0 and "not empty" in restored_again.stderr
    with sqlite3.connect(copy) as database:
        assert database.execute("SELECT * FROM figures ORDER BY unit").fetchall() == [("500101", 860), ("500112", 1200)]
    database.close()
