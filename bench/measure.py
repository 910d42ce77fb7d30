"""Timing and memory of one call: wall time, and the peak of Python allocations (tracemalloc) in a second run."""
import time
import tracemalloc


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
