"""The Content-Disposition of a download: the real (often Chinese) name, with an ASCII name for old clients."""
from urllib.parse import quote


def attachment(filename: str, fallback: str) -> str:
    """`attachment; filename="units.csv"; filename*=UTF-8''%E5%8C%BA…` (RFC 6266): clients that read
    `filename*` take the UTF-8 name, the others the ASCII `fallback`."""
    ascii_name = "".join(c if c.isascii() and c.isprintable() and c not in '"\\' else "_" for c in fallback)
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename, safe='')}"
