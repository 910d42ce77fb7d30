"""Timing and memory of one call: wall time; the peak of Python allocations (tracemalloc) or of the process's
resident memory (RSS) in a second run."""
import resource
import time
import tracemalloc
from pathlib import Path

PROC_SELF = Path("/proc/self")


def timed(call, *, repeat: int = 1) -> tuple[float, object]:
    """The best wall time of `repeat` calls, and the last call's result."""
    best, result = None, None
    for _ in range(repeat):
        start = time.perf_counter()
        result = call()
        elapsed = time.perf_counter() - start
        best = elapsed if best is None else min(best, elapsed)
    return best, result


def peak_memory_mb(call) -> float:
    """Peak Python memory of a call in MiB (tracemalloc slows the call down, so it is never timed with it)."""
    tracemalloc.start()
    try:
        call()
        return tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()


def peak_rss_mb(call) -> float:
    """Peak resident memory of this process during a call, in MiB, as a worker's memory is watched.

    Linux lets a process reset its high-water mark (`clear_refs` 5), so the peak is the call's own and the run
    costs nothing extra; elsewhere it is the process's peak since it started."""
    try:
        (PROC_SELF / "clear_refs").write_text("5")
    except OSError:
        call()
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20  # bytes on macOS (kB on Linux)
    call()
    status = (PROC_SELF / "status").read_text()
    return int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmHWM:"))) / 1024
