"""A PostgreSQL planner setting for a few statements only, inside the caller's transaction."""
from contextlib import contextmanager

from django.db import connection


@contextmanager
def local_setting(cursor, name: str, value: str):
    """`name` set to `value` for the statements inside, then back as it was: SET LOCAL alone lasts to the end of
    the transaction, which may be a caller's (a test's, an eager task's) with more statements to plan. A failure
    inside leaves the setting to the rollback that follows it. Other databases have no such settings: nothing is set."""
    if connection.vendor != "postgresql":
        yield
        return
    cursor.execute("SELECT current_setting(%s)", [name])
    before = cursor.fetchone()[0]
    cursor.execute("SELECT set_config(%s, %s, true)", [name, value])
    yield
    cursor.execute("SELECT set_config(%s, %s, true)", [name, before])
