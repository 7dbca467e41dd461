"""A real PostgreSQL server for the store tests: Debian's binaries (apt-get install postgresql), started in a temp
folder on 127.0.0.1 and a free port, with password (scram) logins; or the server in FTDRAFT_TEST_POSTGRES_URL
(an admin URL: its user may create databases), which .ci/run starts and exports.

Test modules import the fixtures (`from pg_support import postgres_url_fixture  # noqa: F401`); they register
under the names postgres_admin_url and postgres_url. Each test gets a fresh database (created, then dropped).
With no server and no binaries the Postgres tests skip on a
developer's machine, and FAIL under CI=true: CI must never pass without having run them.
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
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

ADMIN_USER = "ftdraft_admin"
ADMIN_PASSWORD = "admin-pw-not-a-secret"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def pg_bin() -> Path | None:
    """The newest installed PostgreSQL's bin folder (Debian: /usr/lib/postgresql/<major>/bin)."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parent.parent.name))
    return Path(found[-1]).parent if found else None


def _as_postgres(cmd: list[str]) -> list[str]:
    """initdb and postgres refuse to run as root: run them as the postgres user then."""
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *cmd]
    return cmd


def start_server(root: Path) -> tuple[str, Path]:
    """initdb + pg_ctl start in `root`; returns (admin URL, data dir). Raises RuntimeError with the log."""
    bindir = pg_bin()
    if bindir is None:
        raise RuntimeError("PostgreSQL is not installed: apt-get install -y postgresql")
    data, sock = root / "data", root / "sock"
    sock.mkdir(parents=True)
    pwfile = root / "pw"
    pwfile.write_text(ADMIN_PASSWORD + "\n")
    if os.geteuid() == 0:
        shutil.chown(root, "postgres", "postgres")
        shutil.chown(sock, "postgres", "postgres")
        shutil.chown(pwfile, "postgres", "postgres")
    port = free_port()
    subprocess.run(
        _as_postgres(
            [
                str(bindir / "initdb"),
                "-D",
                str(data),
                "-U",
                ADMIN_USER,
                f"--pwfile={pwfile}",
                "--auth=scram-sha-256",
                "-E",
                "UTF8",
                "--no-sync",
            ]
        ),
        check=True,
        capture_output=True,
    )
    pg_ctl_start(data, port)
    return f"postgresql+psycopg://{ADMIN_USER}:{ADMIN_PASSWORD}@127.0.0.1:{port}/postgres", data


def pg_ctl_start(data: Path, port: int) -> None:
    """Start (or start again) the cluster in `data` on 127.0.0.1:`port`, its socket and log beside it."""
    bindir = pg_bin()
    assert bindir is not None
    root = data.parent
    sock, log = root / "sock", root / "server.log"
    opts = f"-h 127.0.0.1 -p {port} -k {sock} -c fsync=off -c full_page_writes=off -c synchronous_commit=off"
    started = subprocess.run(
        _as_postgres([str(bindir / "pg_ctl"), "-D", str(data), "-l", str(log), "-o", opts, "-w", "-t", "60", "start"]),
        capture_output=True,
        text=True,
    )
    if started.returncode != 0:
        raise RuntimeError(f"PostgreSQL did not start: {started.stderr}\n{log.read_text() if log.exists() else ''}")


def stop_server(data: Path, mode: str = "immediate") -> None:
    """Stop the cluster: "immediate" (the end of a test session: fastest, and loses what synchronous_commit=off
    has not written yet) or "fast" (sessions ended, everything committed kept: a server going down)."""
    bindir = pg_bin()
    if bindir is not None:
        subprocess.run(
            _as_postgres([str(bindir / "pg_ctl"), "-D", str(data), "-m", mode, "-w", "stop"]),
            capture_output=True,
        )


def unavailable(why: str) -> None:
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(f"PostgreSQL is required in CI and is not available: {why}")
    pytest.skip(f"PostgreSQL not available here ({why}); CI runs these tests")


@pytest.fixture(scope="session", name="postgres_admin_url")
def postgres_admin_url_fixture() -> Iterator[str]:
    """An admin URL of a running PostgreSQL (FTDRAFT_TEST_POSTGRES_URL, or a server started for this session)."""
    url = os.environ.get("FTDRAFT_TEST_POSTGRES_URL")
    if url:
        yield url
        return
    try:
        import psycopg  # noqa: F401
    except ImportError:
        unavailable("the psycopg driver is not installed: pip install 'ftdraft[postgres]'")
    root = Path(tempfile.mkdtemp(prefix="ftdraft-pg-"))
    try:
        url, data = start_server(root)
    except (RuntimeError, OSError, subprocess.CalledProcessError) as exc:
        shutil.rmtree(root, ignore_errors=True)
        unavailable(str(exc).splitlines()[0] if str(exc) else type(exc).__name__)
    try:
        yield url
    finally:
        stop_server(data)
        shutil.rmtree(root, ignore_errors=True)


def _admin_sql(admin_url: str, sql: str) -> None:
    import psycopg

    u = make_url(admin_url)
    with psycopg.connect(
        host=u.host, port=u.port, user=u.username, password=u.password, dbname=u.database, autocommit=True
    ) as conn:
        conn.execute(sql)  # type: ignore[arg-type]


@pytest.fixture(name="postgres_url")
def postgres_url_fixture(postgres_admin_url: str) -> Iterator[str]:
    """A fresh, empty database on the server, as a postgresql:// URL (the form users write); dropped after."""
    name = "ftdraft_test_" + uuid.uuid4().hex[:12]
    _admin_sql(postgres_admin_url, f'CREATE DATABASE "{name}"')
    url = make_url(postgres_admin_url).set(drivername="postgresql", database=name)
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        _admin_sql(postgres_admin_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
