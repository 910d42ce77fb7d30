"""`python -m bench.import_memory <job id>` (or `list <user id> <file>`): the resident memory of one import check
(of a quarterly import job, or of a status list), in a fresh process.

Measured in the harness's own process, the file it built and the rows it built it from (hundreds of MiB
at 100,000 rows) would count as the check's, and tracemalloc slows a long check down tenfold. A fresh
process holds only Django, the job and what the check allocates. A database another process cannot reach
(SQLite in memory, as in the smoke test) has its check measured in the harness's process instead.
"""
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from django.db import connection

from bench.measure import peak_rss_mb, rss_mb


def check_memory_mb(job) -> tuple[float, float]:
    """Resident memory (MiB) before the check of a recorded job, and its peak during the check."""
    if connection.vendor != "postgresql":
        return _measured(job)
    return _in_fresh_process(str(job.pk))


def list_check_memory_mb(user, content: bytes) -> tuple[float, float]:
    """Resident memory (MiB) before the check of a status list (`enterprises.lists`) by `user`, and its peak."""
    if connection.vendor != "postgresql":
        return _list_measured(user.pk, content)
    with tempfile.NamedTemporaryFile(suffix=".csv") as file:
        file.write(content)
        file.flush()
        return _in_fresh_process("list", str(user.pk), file.name)


def _in_fresh_process(*args) -> tuple[float, float]:
    settings = connection.settings_dict  # the database this process uses (a test database under pytest)
    password = f":{settings['PASSWORD']}" if settings["PASSWORD"] else ""
    url = f"postgres://{settings['USER']}{password}@{settings['HOST']}:{settings['PORT']}/{settings['NAME']}"
    env = os.environ | {"DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "bench.settings"}
    done = subprocess.run([sys.executable, "-m", "bench.import_memory", *args],  # noqa: S603 (fixed command)
                          env=env, cwd=Path(__file__).parent.parent, capture_output=True, text=True, check=True)
    before, peak = done.stdout.split()[-2:]
    return float(before), float(peak)


def _measured(job) -> tuple[float, float]:
    from districts.spreadsheets.importer import import_check

    return rss_mb(), peak_rss_mb(lambda: import_check(job=job))


def _list_measured(user_id: int, content: bytes) -> tuple[float, float]:
    from django.contrib.auth import get_user_model

    from enterprises.lists import status_list_import

    user = get_user_model().objects.get(pk=user_id)
    return rss_mb(), peak_rss_mb(lambda: status_list_import(user=user, content=content, file_name="list.csv",
                                                            kind="high_tech"))


if __name__ == "__main__":
    import django

    django.setup()
    from districts.models import ImportJob

    if sys.argv[1] == "list":
        print(*_list_measured(int(sys.argv[2]), Path(sys.argv[3]).read_bytes()))
    else:
        print(*_measured(ImportJob.objects.get(pk=int(sys.argv[1]))))
