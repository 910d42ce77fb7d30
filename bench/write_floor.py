# ruff: noqa: S608 -- SQL built from the models' table and column names only
"""The floor under an import: the rows it wrote put back into their tables by `COPY` alone, with their indexes,
constraints and the foreign keys its commit checks; then rolled back (PostgreSQL). No cell is read, parsed or
checked: this is about what writing those rows costs any import, however it is made, so an import's ratio to `COPY`
can hardly pass this one's. Both the import and its floor are timed from a checkpoint (`checkpoint`), so each pays
the same first writes of the pages it changes. Measure 4 puts back a confirmation's rows (its quarters'
submissions, every section's figure rows, and the history row of each: `written_models`), measure 9 a status list's
records and their history.
"""
import tempfile
import time

from django.db import connection, transaction


def written_models() -> list:
    """The models whose rows a confirmed import writes, and their history models."""
    from districts.models import Submission
    from districts.registry import sections

    models = list(dict.fromkeys([Submission, *(section.model for section in sections)]))
    return [each for model in models for each in (model, model.history.model)]


def newest_ids(models) -> dict:
    """Each model's highest primary key now (0 for an empty table): rows written later have higher ones."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(
            f"(SELECT COALESCE(MAX({model._meta.pk.column}), 0) FROM {model._meta.db_table})" for model in models))
        return dict(zip(models, cursor.fetchone(), strict=True))


def checkpoint() -> None:
    """A checkpoint now (PostgreSQL; the bench's user may run one: a superuser, or a member of pg_checkpoint). The
    first change of a page after a checkpoint writes the whole page to the WAL: a write in production pays that as
    often as checkpoints come (every five minutes by default), and a write timed right after another that changed the
    same pages would not pay it."""
    with connection.cursor() as cursor:
        cursor.execute("CHECKPOINT")


def rolled_back(work, *, keep: list | None = None) -> tuple[float, object, dict | None]:
    """Seconds of `work()` with the foreign keys its commit would check, what it returned, and with `keep` (models,
    on PostgreSQL) the rows it wrote to them (`kept_rows`); then rolled back, so the bench data stays as generated."""
    keep = keep if connection.vendor == "postgresql" else None
    if connection.vendor == "postgresql":
        checkpoint()
    with transaction.atomic():
        since = newest_ids(keep) if keep else None
        start = time.perf_counter()
        result = work()
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # what the commit would check
        seconds = time.perf_counter() - start
        kept = kept_rows(since) if keep else None
        transaction.set_rollback(True)
    return seconds, result, kept


def kept_rows(since: dict) -> dict:
    """The rows of each model written since the `newest_ids` of `since` (inside the writing transaction, before its
    rollback), as `COPY` text in temporary files."""
    files = {}
    with connection.cursor() as cursor:
        for model, newest in since.items():
            files[model] = tempfile.TemporaryFile()  # noqa: SIM115 -- closed by `copy_back`
            cursor.cursor.copy_expert(f"COPY (SELECT * FROM {model._meta.db_table} WHERE {model._meta.pk.column} > "
                                      f"{int(newest)}) TO STDOUT", files[model])
    return files


def copy_back(files: dict) -> tuple[float, int]:
    """Seconds to `COPY` the kept rows into their tables and check their foreign keys as a commit would (rolled
    back), and how many rows that was."""
    rows = 0
    checkpoint()
    with transaction.atomic(), connection.cursor() as cursor:
        start = time.perf_counter()
        for model, file in files.items():
            file.seek(0)
            cursor.cursor.copy_expert(f"COPY {model._meta.db_table} FROM STDIN", file)
            rows += cursor.cursor.rowcount
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        seconds = time.perf_counter() - start
        transaction.set_rollback(True)
    for file in files.values():
        file.close()
    return seconds, rows
