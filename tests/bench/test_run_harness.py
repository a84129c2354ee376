"""``./houqin bench run`` end to end on a tiny generated SQLite database: the real server, a few
pages, two short load phases, the result files."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bench", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=1800,
        check=False,
    )


@pytest.fixture
def bench_env(tmp_path: Path) -> dict[str, str]:
    env = {
        **os.environ,
        "HOUQIN_DATABASE_URL": f"sqlite:///{tmp_path / 'bench.sqlite3'}",
        "DJANGO_SETTINGS_MODULE": "houqin.settings.base",
        "HOUQIN_VAR_DIR": str(tmp_path / "var"),
        "PYTHONPATH": f"{ROOT / 'src'}:{ROOT}",
    }
    generated = run(["generate", "--preset", "small", "--parts", "org"], env)
    assert generated.returncode == 0, generated.stderr[-2000:]
    return env


def test_it_measures_pages_and_load_and_writes_the_results(
    bench_env: dict[str, str], tmp_path: Path
) -> None:
    out = tmp_path / "results"
    answer = run(
        [
            "run",
            "--runs", "2",
            "--load-seconds", "2",
            "--load-workers", "2",
            "--clients", "4",
            "--pages", "org:room",
            "--output-dir", str(out),
        ],
        bench_env,
    )  # fmt: skip
    assert answer.returncode == 0, answer.stdout[-2000:] + answer.stderr[-2000:]
    [json_path] = out.glob("*-sqlite.json")
    [md_path] = out.glob("*-sqlite.md")
    result = json.loads(json_path.read_text())
    assert {
        "date",
        "preset",
        "school",
        "machine",
        "rows",
        "settings",
        "floor",
        "pages",
        "load",
        "memory",
    } <= result.keys()
    assert {"cpus", "python", "database", "database_version", "load_average"} <= result[
        "machine"
    ].keys()
    assert result["rows"]["org.Room"] > 0
    assert result["floor"]["p50"] > 0
    kinds = {page["kind"] for page in result["pages"]}
    assert kinds == {"floor", "list", "detail"}
    for page in result["pages"]:
        assert page["status"] == {"200": 2}, page
        assert {
            "name",
            "module",
            "path",
            "username",
            "p50",
            "p95",
            "ratio",
            "goal_met",
        } <= page.keys()
    [phase] = result["load"]
    assert phase["workers"] == 2 and phase["clients"] == 4
    assert phase["page_views"] > 0
    assert phase["errors"] == 0, phase["error_kinds"]
    assert phase["saved"] == phase["submissions"] == phase["marked_rows"]
    assert phase["peak_worker_mb"] > 0
    assert "| page | kind |" in md_path.read_text()
