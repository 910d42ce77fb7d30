"""A bounded concurrent HTTP load: N keep-alive clients for S seconds against one URL; throughput, p95, errors.

Plain threads and http.client, so `make bench` needs nothing installed beyond the requirements. The client
shares the 2 cores with the server, which lowers every figure alike; the ratios stay comparable.
"""
import http.client
import statistics
import threading
import time
from urllib.parse import urlsplit


def hammer(url: str, *, cookie: str = "", seconds: float = 10, clients: int = 8) -> dict:
    parts = urlsplit(url)
    target = parts.path + (f"?{parts.query}" if parts.query else "")
    latencies, errors, sizes = [], [], []
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds

    def client():
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
        mine, bad, size = [], 0, 0
        while time.perf_counter() < deadline:
            start = time.perf_counter()
            try:
                connection.request("GET", target, headers={"Cookie": cookie})
                response = connection.getresponse()
                body = response.read()
                if response.status != 200:
                    bad += 1
                size = len(body)
            except (OSError, http.client.HTTPException):
                bad += 1
                connection.close()
                connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
            mine.append(time.perf_counter() - start)
        connection.close()
        with lock:
            latencies.extend(mine)
            errors.append(bad)
            sizes.append(size)

    elapsed = in_threads(lambda _: client(), clients)
    ordered = sorted(latencies)
    return {
        "requests": len(latencies),
        "rps": len(latencies) / elapsed,
        "p50_ms": 1000 * statistics.median(ordered) if ordered else None,
        "p95_ms": p95_ms(ordered),
        "errors": sum(errors),
        "bytes": max(sizes, default=0),
    }


def in_threads(work, count: int) -> float:
    """Run `work(n)` for n in range(count), each in a thread of its own, all at once; the seconds until all end."""
    threads = [threading.Thread(target=work, args=(n,)) for n in range(count)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.perf_counter() - started


def p95_ms(ordered: list[float]) -> float | None:
    """The 95th percentile of sorted latencies in seconds, in milliseconds."""
    return 1000 * ordered[int(0.95 * (len(ordered) - 1))] if ordered else None
