"""Smoke runs of the crash and concurrency scripts: a few seconds against the real server."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


def run(
    args: list[str], url: str, tmp: Path, timeout: int = 600
) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "PYTHONPATH": f"{ROOT / 'src'}:{ROOT}",
        "DJANGO_SETTINGS_MODULE": "houqin.settings.base",
        "HOUQIN_DATABASE_URL": url,
        "HOUQIN_VAR_DIR": str(tmp / "var"),
    }
    return subprocess.run(
        [sys.executable, "-m", "bench", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def generated(url: str, tmp: Path) -> None:
    done = run(["generate", "--preset", "small", "--fresh", "--parts", "org"], url, tmp)
    assert done.returncode == 0, done.stderr[-3000:]


@pytest.mark.django_db
def test_the_crash_script_loses_nothing(tmp_path: Path) -> None:
    if connection.vendor != "sqlite":
        pytest.skip("the crash smoke run uses its own SQLite file: once, in the SQLite half")
    url = f"sqlite:///{tmp_path / 'crash.sqlite3'}"
    generated(url, tmp_path)
    options = ["--seconds", "12", "--clients", "2", "--worker-kills", "1", "--server-kills", "1"]
    done = run(
        ["crash", *options, "--workdir", str(tmp_path / "server"), "--no-write"], url, tmp_path
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert "**lost (acknowledged, not in the database)** | **0**" in done.stdout
    assert "integrity_check ok" in done.stdout


@pytest.mark.django_db
def test_the_concurrency_script_keeps_the_invariants(tmp_path: Path) -> None:
    if connection.vendor != "postgresql":
        url = f"sqlite:///{tmp_path / 'none.sqlite3'}"
        done = run(["concurrency", "--no-write"], url, tmp_path)
        assert done.returncode == 2
        assert "needs PostgreSQL" in done.stdout
        return
    from bench.pgdb import postgres_database

    settings = connection.settings_dict
    server = f"postgres://{settings['USER']}@{settings['HOST']}:{settings['PORT']}/postgres"
    name = f"houqin_smoke_{uuid.uuid4().hex[:8]}"
    url = postgres_database(server, "create", name)
    try:
        generated(url, tmp_path)
        options = ["--clients", "4", "--workers", "2", "--threads", "2", "--no-write"]
        done = run(["concurrency", *options, "--workdir", str(tmp_path / "server")], url, tmp_path)
        assert "Invariants:" in done.stdout, done.stdout[-3000:] + done.stderr[-3000:]
        assert "BROKEN" not in done.stdout, done.stdout[-3000:]
    finally:
        postgres_database(server, "drop", name)
