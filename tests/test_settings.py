"""Production settings refuse to start without a secret and pass Django's deploy checks."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    full_env = {k: v for k, v in os.environ.items() if not k.startswith(("HOUQIN_", "DJANGO_"))}
    full_env.update({"PYTHONPATH": str(ROOT / "src"), **env})
    return subprocess.run(
        [sys.executable, "-m", "houqin.cli", *args],
        env=full_env,
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )


def test_production_refuses_to_start_without_a_secret_key(tmp_path: Path) -> None:
    result = manage(
        "check",
        env={
            "DJANGO_SETTINGS_MODULE": "houqin.settings.production",
            "HOUQIN_VAR_DIR": str(tmp_path),
        },
    )
    assert result.returncode != 0
    assert "HOUQIN_SECRET_KEY" in result.stderr


def test_production_settings_pass_the_deploy_check(tmp_path: Path) -> None:
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env={
            "DJANGO_SETTINGS_MODULE": "houqin.settings.production",
            "HOUQIN_SECRET_KEY": "k" * 20 + "x9Q-" * 10,
            "HOUQIN_ALLOWED_HOSTS": "houqin.example.edu.cn",
            "HOUQIN_VAR_DIR": str(tmp_path),
        },
    )
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    ("pragma", "expected"),
    [("journal_mode", "wal"), ("foreign_keys", "1"), ("busy_timeout", "20000")],
)
def test_the_embedded_database_is_tuned(tmp_path: Path, pragma: str, expected: str) -> None:
    code = (
        "from django.db import connection;"
        f"c = connection.cursor(); c.execute('PRAGMA {pragma}'); print(c.fetchone()[0])"
    )
    result = manage(
        "shell",
        "-c",
        code,
        env={"DJANGO_SETTINGS_MODULE": "houqin.settings.base", "HOUQIN_VAR_DIR": str(tmp_path)},
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1].lower() == expected
