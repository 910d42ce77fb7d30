"""Settings of `make bench`: the production settings (DEBUG off) on loopback, plus the bare baseline view."""
import os

os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-never-used-in-production-0123456789")
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("SECURE_COOKIES", "0")
# The import benchmark checks a 100,000-row CSV (about 20 MB), beyond the portal's default upload limits.
os.environ.setdefault("IMPORT_MAX_ROWS", "1000000")
os.environ.setdefault("IMPORT_MAX_BYTES", str(256 * 1024 * 1024))

from portal.settings import *  # noqa: E402,F403

ROOT_URLCONF = "bench.urls"
# No collectstatic before a benchmark: templates resolve static names without the manifest.
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
