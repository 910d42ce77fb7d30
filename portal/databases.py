"""The configured database: created on first use (a fresh PostgreSQL server has none of the portal's databases), and
its planner statistics gathered after a bulk load."""
from django.db import connections


def ensure_database(alias: str = "default") -> bool:
    """Create the PostgreSQL database `alias` names if it does not exist yet; True if it was created.

    SQLite creates its file on the first connection, so there is nothing to do for it.
    """
    connection = connections[alias]
    if connection.vendor != "postgresql":
        return False
    import psycopg2
    from psycopg2 import sql

    settings = connection.settings_dict
    server = psycopg2.connect(dbname="postgres", user=settings["USER"], password=settings["PASSWORD"],
                              host=settings["HOST"], port=settings["PORT"])
    server.autocommit = True  # CREATE DATABASE cannot run in a transaction
    try:
        with server.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [settings["NAME"]])
            if cursor.fetchone() is not None:
                return False
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(settings["NAME"])))
            return True
    finally:
        server.close()


def gather_statistics(alias: str = "default") -> None:
    """The query planner's statistics of every table, after a bulk load. PostgreSQL's autovacuum gathers them in a
    while; SQLite never does, and without them it looked the demo's status records up by kind and issue day where
    the enterprise's index serves (the registry page took minutes)."""
    with connections[alias].cursor() as cursor:
        cursor.execute("ANALYZE")
