"""Timing and memory of one call: wall time, and the peak of the process's resident memory (RSS) in a second run;
the database settled before a timed run."""
import contextlib
import ctypes
import gc
import resource
import time
from pathlib import Path

PROC_SELF = Path("/proc/self")


def timed(call, *, repeat: int = 1, before=None) -> tuple[float, object]:
    """The best wall time of `repeat` calls, and the last call's result; `before()`, untimed, before each call."""
    best, result = None, None
    for _ in range(repeat):
        if before is not None:
            before()
        start = time.perf_counter()
        result = call()
        elapsed = time.perf_counter() - start
        best = elapsed if best is None else min(best, elapsed)
    return best, result


def peak_rss_mb(call) -> float:
    """Peak resident memory of this process during a call, in MiB, as a worker's memory is watched.

    Memory freed by earlier work (generating national data leaves ~50 MiB in the allocator) is first handed
    back to the system, and on Linux the high-water mark is reset (`clear_refs` 5), so the peak is what the
    process needs for the call, at no cost to its speed; elsewhere it is the process's peak since it started."""
    release_free_memory()
    try:
        (PROC_SELF / "clear_refs").write_text("5")
    except OSError:
        call()
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20  # bytes on macOS (kB on Linux)
    call()
    return _status_mb("VmHWM")


def rss_mb() -> float:
    """This process's resident memory now, in MiB (0 where /proc is missing)."""
    return _status_mb("VmRSS") if (PROC_SELF / "status").exists() else 0.0


def _status_mb(name: str) -> float:
    status = (PROC_SELF / "status").read_text()
    return int(next(line.split()[1] for line in status.splitlines() if line.startswith(f"{name}:"))) / 1024


def release_free_memory() -> None:
    gc.collect()
    with contextlib.suppress(OSError, AttributeError):  # not glibc: freed memory stays with the process
        ctypes.CDLL("libc.so.6").malloc_trim(0)


def settle_database() -> None:
    """VACUUM ANALYZE every table, as autovacuum leaves a production database between two runs: a bulk load just
    made (the generated figures and their history) or a snapshot just replaced otherwise leaves the timed run to
    set the new rows' hint bits and to share the 2 cores with autovacuum, which no nightly run on settled data
    pays for."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
