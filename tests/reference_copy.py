"""The reference data for a test, copied in: `load_reference` makes ~1,400 queries, and most tests need it.

The first test of a process loads it for real and keeps a copy of every row it wrote (COPY ... TO STDOUT); later
tests get the same rows back with COPY ... FROM STDIN, in a few queries. Only when the copy is the same as a load:
on PostgreSQL, inside the test's transaction (a transactional test commits, and a commit runs what the load leaves
for it), with every table the load writes empty, and the permissions and content types the rows refer to the same
as when they were copied (a flush makes them again, under new ids). Otherwise the load runs for real.
"""
import io

from django.core.management import call_command
from django.db import connection

REFERRED = ("auth_permission", "django_content_type")  # rows the copied ones refer to, made by migrate, not by the load


class ReferenceCopy:
    def __init__(self):
        self.tables: dict[str, str] | None = None  # table -> its rows as COPY text
        self.referred = self.sequences = None

    def load(self):
        if connection.vendor != "postgresql" or not connection.in_atomic_block:
            call_command("load_reference", stdout=io.StringIO())
        elif self.tables is not None and self._copy_fits():
            self._copy_in()
        else:
            self._load_and_copy()

    def _load_and_copy(self):
        self.tables = None
        before = _written()
        call_command("load_reference", stdout=io.StringIO())
        written = {table: tuple(now - was for now, was in zip(counts, before.get(table, (0, 0, 0)), strict=True))
                   for table, counts in _written().items()}
        written = {table: counts for table, counts in written.items() if any(counts)}
        with connection.cursor() as cursor:
            for table, (inserted, _, deleted) in written.items():
                cursor.execute(f'SELECT count(*) FROM "{table}"')  # noqa: S608 (a table name from the catalogue)
                if cursor.fetchone()[0] != inserted - deleted:
                    return  # the table had rows before: copied only if the load found every table it writes empty
            tables = {}
            for table in written:
                buffer = io.StringIO()
                cursor.cursor.copy_expert(f'COPY "{table}" TO STDOUT', buffer)
                tables[table] = buffer.getvalue()
            cursor.execute("SELECT table_name, pg_get_serial_sequence(quote_ident(table_name), 'id') "
                           "FROM information_schema.columns WHERE table_schema = current_schema() "
                           "AND column_name = 'id' AND table_name = ANY(%s)", [list(tables)])
            self.sequences = [(table, sequence) for table, sequence in cursor.fetchall() if sequence]
            self.tables, self.referred = tables, _referred(cursor)

    def _copy_fits(self) -> bool:
        with connection.cursor() as cursor:
            empty = " OR ".join(f'EXISTS (SELECT 1 FROM "{table}")' for table in self.tables)
            cursor.execute(f"SELECT {empty}")  # noqa: S608 (table names from the catalogue)
            return not cursor.fetchone()[0] and _referred(cursor) == self.referred

    def _copy_in(self):
        with connection.cursor() as cursor:
            for table, rows in self.tables.items():
                cursor.cursor.copy_expert(f'COPY "{table}" FROM STDIN', io.StringIO(rows))
            if self.sequences:  # each sequence past the copied ids, whatever it went through since
                cursor.execute(" UNION ALL ".join(
                    f"SELECT setval('{sequence}', max(id)) FROM \"{table}\"" for table, sequence in self.sequences))


def _written() -> dict[str, tuple[int, int, int]]:
    """Rows inserted, updated and deleted by this transaction so far, per table."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT relname, n_tup_ins, n_tup_upd, n_tup_del FROM pg_stat_xact_user_tables "
                       "WHERE schemaname = current_schema()")
        return {table: (ins, upd, dele) for table, ins, upd, dele in cursor.fetchall()}


def _referred(cursor) -> list:
    queries = " UNION ALL ".join(f"SELECT count(*), max(id) FROM {table}" for table in REFERRED)
    cursor.execute(queries)
    return cursor.fetchall()
