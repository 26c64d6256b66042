"""Store fixtures: every contract test runs against SQLite and a real PostgreSQL server.

The PostgreSQL server is a throw-away cluster started once per test session (per xdist worker)
on 127.0.0.1 with its socket in a temp dir; each test gets a fresh database. When the server
binaries are missing, scripts/ensure-postgres.sh installs them, except under CI, where their
absence is a setup failure to fix in the CI script, not something to paper over.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from newsprism.config import Settings
from newsprism.store import Store, open_store

ROOT = Path(__file__).resolve().parents[2]
BACKENDS = ["sqlite", "postgresql"]


def _find_bindir() -> Path | None:
    found = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"),
        key=lambda p: int(Path(p).parts[-3]) if Path(p).parts[-3].isdigit() else 0,
    )
    return Path(found[-1]).parent if found else None


def _postgres_bindir() -> Path:
    bindir = _find_bindir()
    if bindir is not None:
        return bindir
    if os.environ.get("CI"):
        pytest.fail(
            "PostgreSQL server binaries not found in /usr/lib/postgresql/*/bin: CI must run"
            " scripts/ensure-postgres.sh before the tests (the Makefile's test target does)",
            pytrace=False,
        )
    subprocess.run(["bash", str(ROOT / "scripts" / "ensure-postgres.sh")], check=True)
    bindir = _find_bindir()
    if bindir is None:
        pytest.fail("scripts/ensure-postgres.sh ran but initdb is still missing", pytrace=False)
    return bindir


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass(frozen=True)
class PgServer:
    host: str
    port: int

    def url(self, db: str) -> str:
        return f"postgresql://postgres@{self.host}:{self.port}/{db}"


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    bindir = _postgres_bindir()
    root = Path(tempfile.mkdtemp(prefix="newsprism-pg-"))
    data = root / "data"
    as_root = os.geteuid() == 0
    # initdb refuses to run as root: the cluster then belongs to the postgres system user.
    prefix = ["runuser", "-u", "postgres", "--"] if as_root else []
    if as_root:
        shutil.chown(root, "postgres", "postgres")
    port = _free_port()
    try:
        subprocess.run(
            [*prefix, str(bindir / "initdb"), "-D", str(data), "-U", "postgres", "-A", "trust",
             "-E", "UTF8", "--locale=C", "--no-sync"],
            check=True, capture_output=True, text=True,
        )  # fmt: skip
        options = (
            f"-c listen_addresses=127.0.0.1 -p {port} -k {root}"
            # A test server: durability is not under test here (the client is what gets killed).
            " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
            " -c shared_buffers=32MB -c max_connections=30"
        )
        subprocess.run(
            [*prefix, str(bindir / "pg_ctl"), "-D", str(data), "-l", str(root / "log"),
             "-w", "-t", "60", "-o", options, "start"],
            check=True, capture_output=True, text=True,
        )  # fmt: skip
    except subprocess.CalledProcessError as exc:
        log = (root / "log").read_text(errors="replace") if (root / "log").exists() else ""
        shutil.rmtree(root, ignore_errors=True)
        pytest.fail(f"could not start PostgreSQL: {exc.stderr}\n{log}", pytrace=False)
    try:
        yield PgServer("127.0.0.1", port)
    finally:
        subprocess.run(
            [*prefix, str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"],
            capture_output=True,
        )
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="session")
def pg_database(pg_server: PgServer) -> str:
    import psycopg

    with psycopg.connect(pg_server.url("postgres"), autocommit=True) as admin:
        admin.execute("CREATE DATABASE newsprism_test")
    return pg_server.url("newsprism_test")


@pytest.fixture
def pg_url(pg_database: str) -> Iterator[str]:
    """A fresh, empty schema for one test, selected through the URL's search_path: creating
    a database costs 0.75 s here, a schema a few ms."""
    import psycopg

    schema = "t_" + uuid.uuid4().hex[:12]
    with psycopg.connect(pg_database, autocommit=True) as admin:
        admin.execute(f"CREATE SCHEMA {schema}")
    try:
        yield f"{pg_database}?options=-csearch_path%3D{schema}"
    finally:
        with psycopg.connect(pg_database, autocommit=True) as admin:
            admin.execute(f"DROP SCHEMA {schema} CASCADE")


@pytest.fixture(params=BACKENDS)
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return str(tmp_path / "corpus.db")
    url: str = request.getfixturevalue("pg_url")
    return url


@pytest.fixture
def store(store_url: str, settings: Settings) -> Iterator[Store]:
    with open_store(store_url, settings) as s:
        yield s
