"""Servers of the fault tests' own, started and killed by them: never the shared Redis or PostgreSQL."""
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import psycopg2
import pytest
import redis

from conftest import is_postgres
from districts.models import Period
from districts.services import period_open
from tests.faults.processes import free_port


def start_redis(port: int) -> subprocess.Popen:
    """A redis-server on `port`, answering pings."""
    server = subprocess.Popen(["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                               "--appendonly", "no"], stdout=subprocess.DEVNULL)
    url = f"redis://127.0.0.1:{port}/0"
    deadline = time.monotonic() + 10
    while True:
        try:
            redis.Redis.from_url(url).ping()
            return server
        except redis.ConnectionError:
            if time.monotonic() > deadline:
                server.kill()
                pytest.fail("the private redis-server did not start")
            time.sleep(0.1)


NOT_POSTGRES = "DATABASE_URL is not PostgreSQL: row locks across connections and a private cluster need it"


@pytest.fixture
def quarter(transactional_db, city_staff):
    """2026Q3 open for entry, on PostgreSQL: these faults need row locks and a server process of their own."""
    if not is_postgres():
        pytest.skip(NOT_POSTGRES)
    period = Period.objects.get_by_code("2026Q3")
    period_open(user=city_staff, period=period, deadline=None)
    return period


@pytest.fixture
def private_redis():
    """A redis-server of this test's own on a free port, killed by the test (and started again with
    `start_redis(port)` if it wants Redis back; that one is the test's to stop)."""
    if not shutil.which("redis-server"):
        pytest.skip("redis-server is not installed")
    port = free_port()
    server = start_redis(port)
    yield server, f"redis://127.0.0.1:{port}/0"
    if server.poll() is None:
        server.kill()
    server.wait()


PG_BIN = Path("/usr/lib/postgresql/15/bin")
PRIVATE_PG_PORT = 55434


class PrivatePostgres:
    """A PostgreSQL cluster of the test's own (initdb in a temporary directory), to restart at will."""

    def __init__(self, data_dir: Path):
        self.data_dir = data_dir
        self.url = f"postgres://postgres@127.0.0.1:{PRIVATE_PG_PORT}"

    def pg_ctl(self, *args: str) -> None:
        run_as_postgres([str(PG_BIN / "pg_ctl"), "-D", str(self.data_dir), "-w", "-t", "30", *args])

    @property
    def log(self) -> str:
        """The server's log: without one it would write to pg_ctl's output, which would then never end."""
        return str(self.data_dir / "server.log")

    def start(self) -> None:
        options = f"-p {PRIVATE_PG_PORT} -k {self.data_dir} -c listen_addresses=127.0.0.1 -c fsync=off"
        self.pg_ctl("-o", options, "-l", self.log, "start")

    def restart(self) -> None:
        """A fast restart: every connection is cut, open transactions are rolled back."""
        self.pg_ctl("-m", "fast", "-l", self.log, "restart")

    def create_database(self, name: str) -> str:
        admin = psycopg2.connect(f"{self.url}/postgres")
        admin.autocommit = True
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
            cursor.execute(f'CREATE DATABASE "{name}"')
        admin.close()
        return f"{self.url}/{name}"


def run_as_postgres(command: list[str]) -> None:
    """PostgreSQL refuses to run as root: as root, run the command as the postgres OS user."""
    if os.geteuid() == 0:
        command = ["runuser", "-u", "postgres", "--", *command]
    subprocess.run(command, check=True, capture_output=True)


@pytest.fixture(scope="module")
def private_postgres():
    """A private cluster on port 55434 for the module's tests, removed afterwards (none for a suite on SQLite, whose
    tests skip)."""
    if not is_postgres():
        pytest.skip(NOT_POSTGRES)
    if not (PG_BIN / "initdb").exists():
        pytest.skip(f"{PG_BIN / 'initdb'} is not installed (apt-get install postgresql-15)")
    data_dir = Path(tempfile.mkdtemp(prefix="portal-faults-pg-"))
    if os.geteuid() == 0:
        shutil.chown(data_dir, "postgres", "postgres")
    run_as_postgres([str(PG_BIN / "initdb"), "-D", str(data_dir), "-A", "trust", "-U", "postgres", "-E", "UTF8",
                     "--no-sync"])
    cluster = PrivatePostgres(data_dir)
    cluster.start()
    yield cluster
    cluster.pg_ctl("-m", "immediate", "stop")
    shutil.rmtree(data_dir, ignore_errors=True)
