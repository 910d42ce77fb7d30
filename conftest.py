"""Shared fixtures: Chongqing's reference data, the personas, a headless Chromium and a real Celery worker.

Personas (a 渝北 clerk, a 万州 clerk, city staff, a city viewer, an API consumer) are the same users
the demo creates, so a test reads like the story it tells.
"""
import os
import shutil
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from portal import roles
from tests.reference_copy import ReferenceCopy

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
]
ARTIFACTS = Path(__file__).parent / "test-artifacts"
REQUIRE_ALL = os.environ.get("REQUIRE_ALL") == "1"

# Fuzz runs (tests/test_fuzz_forms.py) stay bounded; CI replays the same examples every run, a
# developer's run draws new ones. A test's fixtures (the client, the personas) serve all its examples.
_FUZZ = {"max_examples": 50, "deadline": None, "suppress_health_check": [HealthCheck.function_scoped_fixture,
                                                                          HealthCheck.too_slow]}
hypothesis_settings.register_profile("ci", derandomize=True, print_blob=True, **_FUZZ)
hypothesis_settings.register_profile("dev", **_FUZZ)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if REQUIRE_ALL else "dev"))


def pytest_collection_modifyitems(items):
    """Modules marked `slow` run first: with one module per process (--dist=loadfile), a long module started
    last keeps its process busy alone after the other has run out of work."""
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Under REQUIRE_ALL=1 (CI), a test skipped for a missing browser or service is a failure."""
    outcome = yield
    report = outcome.get_result()
    if REQUIRE_ALL and report.skipped and not hasattr(report, "wasxfail"):
        report.outcome = "failed"
        report.longrepr = f"skipped under REQUIRE_ALL=1: {report.longrepr}"


@pytest.fixture(autouse=True)
def empty_cache():
    """Every test starts with an empty cache: cached dashboards are keyed by run ids, which a new test
    database (or SQLite's rolled-back sequence) hands out again."""
    from django.core.cache import cache

    from portal.caching import in_process

    cache.clear()
    in_process.clear()


REFERENCE = ReferenceCopy()


@pytest.fixture
def chongqing(db):
    """The 41 units, groups, periods, platforms, funds, indicators and plans (`load_reference`, or a copy of what it
    wrote: tests/reference_copy.py)."""
    REFERENCE.load()


def make_user(username, role=None, unit_code=None, **extra):
    from districts.models import Membership, Unit

    user = get_user_model().objects.create_user(username=username, password="pw-for-tests-1", **extra)
    if role:
        user.groups.add(Group.objects.get(name=role))
    if unit_code:
        Membership.objects.create(user=user, unit=Unit.objects.get(code=unit_code))
    return user


@pytest.fixture
def yubei_clerk(chongqing):
    return make_user("yubei_staff", roles.DISTRICT_STAFF, "500112", is_staff=True)


@pytest.fixture
def wanzhou_clerk(chongqing):
    return make_user("wanzhou_staff", roles.DISTRICT_STAFF, "500101", is_staff=True)


@pytest.fixture
def city_staff(chongqing):
    return make_user("city_staff", roles.MUNICIPAL_STAFF, is_staff=True)


@pytest.fixture
def city_viewer(chongqing):
    return make_user("city_viewer", roles.MUNICIPAL_VIEWER)


@pytest.fixture
def api_consumer(chongqing):
    return make_user("api_consumer", roles.API_CONSUMER)


@pytest.fixture
def client_for(client):
    """client_for(user) logs the test client in as that user."""

    def login(user):
        client.force_login(user)
        return client

    return login


def log_in(page, base_url, username, password="pw-for-tests-1"):
    """Log a Playwright page in through the login form, as a person would."""
    page.goto(f"{base_url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_load_state()


@contextmanager
def launched_chromium():
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def browser():
    """A headless Debian Chromium driven by Playwright, open for the whole test.

    Playwright's sync API keeps an asyncio loop running in this thread, and Django then refuses ORM
    calls. So list this fixture after every fixture that writes to the database, and make no ORM
    call in the test body; a test that checks the database after browser steps uses `chromium`.
    """
    with launched_chromium() as chromium:
        yield chromium


@pytest.fixture
def chromium():
    """`with chromium() as browser:` opens a browser for a block; the ORM works again after it."""
    return launched_chromium


@contextmanager
def celery_broker(url):
    """Celery publishes to `url` for a block. Celery caches its connection and producer pools, so they are
    dropped on the way in (built for the configured broker) and on the way out (built for this one)."""
    from portal.celery import app

    keys = ("task_always_eager", "broker_url", "task_publish_retry", "broker_connection_retry",
            "broker_connection_timeout")
    saved = {key: app.conf[key] for key in keys}
    app.conf.update(task_always_eager=False, broker_url=url, task_publish_retry=False,
                    broker_connection_retry=False, broker_connection_timeout=1)
    app._pool = app.amqp._producer_pool = None
    try:
        yield
    finally:
        app.conf.update(saved)
        app._pool = app.amqp._producer_pool = None


def is_postgres() -> bool:
    return settings.DATABASES["default"]["ENGINE"].endswith("postgresql")


def require_worker_services():
    """Skip unless a worker process can run: a broker, and a database it can share with the test."""
    if not settings.REDIS_URL:
        pytest.skip("REDIS_URL is not set: no broker for a real worker")
    if not is_postgres():
        pytest.skip("DATABASE_URL is not PostgreSQL: a worker process cannot share the test database")


def current_database_url() -> str:
    """The URL of the database the test runs on, for a process of its own."""
    from django.db import connection

    db = connection.settings_dict
    host = f"{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}"
    return f"postgres://{db['USER']}:{db['PASSWORD']}@{host}/{db['NAME']}"


def start_celery_worker(**extra_env: str) -> subprocess.Popen:
    """Start a real `celery worker` process on the test database and wait until it answers a ping."""
    env = dict(os.environ, DATABASE_URL=current_database_url(), DJANGO_SETTINGS_MODULE="portal.settings_test",
               **extra_env)
    celery = shutil.which("celery", path=str(Path(sys.executable).parent)) or "celery"
    worker = subprocess.Popen(
        [celery, "-A", "portal", "worker", "--pool=solo", "--loglevel=WARNING", "-n", f"test-{os.getpid()}@%h"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )
    from portal.celery import app

    app.conf.task_always_eager = False
    deadline = time.monotonic() + 60
    while not app.control.ping(timeout=0.5):
        if worker.poll() is not None or time.monotonic() > deadline:
            worker.kill()
            output = worker.stdout.read().decode(errors="replace")[-3000:]
            pytest.fail(f"Celery worker did not start:\n{output}")
    return worker


def stop(process: subprocess.Popen, timeout: float) -> None:
    """Terminate a process of the tests; kill it if it has not ended within `timeout` seconds."""
    process.terminate()
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def stop_celery_worker(worker: subprocess.Popen) -> None:
    from portal.celery import app

    app.conf.task_always_eager = True
    stop(worker, timeout=20)


@pytest.fixture
def celery_worker_process(transactional_db):
    """A real `celery worker` process on the test database, fed through Redis."""
    require_worker_services()
    worker = start_celery_worker()
    yield worker
    stop_celery_worker(worker)


@pytest.fixture
def api_key(city_staff):
    """api_key(scope, unit_code=None) creates a key as city staff and returns its full text."""
    from districts.apikeys import api_key_create
    from districts.models import Unit

    def create(scope="read", unit_code=None, throttle_rate="1000/hour"):
        unit = Unit.objects.get(code=unit_code) if unit_code else None
        _, full_key = api_key_create(
            name=f"test {scope}", scope=scope, unit=unit, throttle_rate=throttle_rate, created_by=city_staff
        )
        return full_key

    return create


@pytest.fixture
def api_client():
    """A DRF test client; `api_client.credentials(HTTP_AUTHORIZATION=f"Api-Key {key}")` to call with a key."""
    from django.core.cache import cache
    from rest_framework.test import APIClient

    cache.clear()  # throttle counters live in the cache
    return APIClient()
