"""`python -m bench.import_memory <job id>`: the resident memory of one import check, in a fresh process.

Measured in the harness's own process, the file it built and the rows it built it from (hundreds of MiB
at 100,000 rows) would count as the check's, and tracemalloc slows a long check down tenfold. A fresh
process holds only Django, the job and what the check allocates. A database another process cannot reach
(SQLite in memory, as in the smoke test) has its check measured in the harness's process instead.
"""
import os
import subprocess
import sys
from pathlib import Path

from django.db import connection

from bench.measure import peak_rss_mb, rss_mb


def check_memory_mb(job) -> tuple[float, float]:
    """Resident memory (MiB) before the check of a recorded job, and its peak during the check."""
    if connection.vendor != "postgresql":
        return _measured(job)
    settings = connection.settings_dict  # the database this process uses (a test database under pytest)
    password = f":{settings['PASSWORD']}" if settings["PASSWORD"] else ""
    url = f"postgres://{settings['USER']}{password}@{settings['HOST']}:{settings['PORT']}/{settings['NAME']}"
    env = os.environ | {"DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "bench.settings"}
    done = subprocess.run([sys.executable, "-m", "bench.import_memory", str(job.pk)],  # noqa: S603 (fixed command)
                          env=env, cwd=Path(__file__).parent.parent, capture_output=True, text=True, check=True)
    before, peak = done.stdout.split()[-2:]
    return float(before), float(peak)


def _measured(job) -> tuple[float, float]:
    from districts.spreadsheets.importer import import_check

    return rss_mb(), peak_rss_mb(lambda: import_check(job=job))


if __name__ == "__main__":
    import django

    django.setup()
    from districts.models import ImportJob

    print(*_measured(ImportJob.objects.get(pk=int(sys.argv[1]))))
