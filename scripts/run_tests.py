"""The whole check behind ``./houqin test``.

Lint, types, migrations, translations, then the pytest suite on SQLite and again on a
throwaway PostgreSQL cluster created on 127.0.0.1 at a non-default port and always removed.
It never reports success after skipping the browser or PostgreSQL parts.
"""

from __future__ import annotations

import argparse
import os
import pwd
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = ROOT / ".venv" / "bin"
PY = str(VENV_BIN / "python")


def say(message: str) -> None:
    print(f"\033[1;34m[houqin test]\033[0m {message}", flush=True)


def fail(message: str) -> None:
    print(f"\033[1;31m[houqin test] FAILED:\033[0m {message}", flush=True)
    sys.exit(1)


def run(step: str, cmd: list[str], env: dict[str, str] | None = None) -> None:
    say(step)
    started = time.monotonic()
    result = subprocess.run(cmd, cwd=ROOT, env={**os.environ, **(env or {})}, check=False)
    if result.returncode != 0:
        fail(f"{step} (exit {result.returncode})")
    say(f"{step}: ok in {time.monotonic() - started:.1f} s")


def manage(*args: str) -> list[str]:
    return [PY, "-m", "houqin.cli", *args]


def pg_bin() -> Path:
    candidates = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), reverse=True)
    if not candidates:
        fail("PostgreSQL server binaries not found (install the 'postgresql' package)")
    return candidates[0].parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def postgres_cluster(settings: str | None = None, where: str | None = None) -> Iterator[str]:
    """A throwaway cluster on 127.0.0.1; yields its database URL and always removes it.

    ``settings`` replaces the test settings (no fsync) by others, e.g. production-like ones for
    a benchmark; ``where`` is the folder to create it in (default: the temporary folder)."""
    binaries = pg_bin()
    base = Path(tempfile.mkdtemp(prefix="houqin-pg-", dir=where))
    data = base / "data"
    port = free_port()
    as_root = os.geteuid() == 0
    runner: list[str] = []
    if as_root:
        owner = pwd.getpwnam("postgres")
        os.chown(base, owner.pw_uid, owner.pw_gid)
        runner = ["runuser", "-u", "postgres", "--"]
    started = False
    try:
        say(f"creating a throwaway PostgreSQL cluster on 127.0.0.1:{port}")
        subprocess.run(
            [
                *runner,
                str(binaries / "initdb"),
                "-D",
                str(data),
                "-U",
                "houqin",
                "-A",
                "trust",
                "-E",
                "UTF8",
                "--locale=C.UTF-8",
            ],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        tuning = settings or (
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=60"
        )
        options = f"-p {port} -k {base} -c listen_addresses=127.0.0.1 {tuning}"
        subprocess.run(
            [
                *runner,
                str(binaries / "pg_ctl"),
                "-D",
                str(data),
                "-o",
                options,
                "-w",
                "-l",
                str(base / "log"),
                "start",
            ],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        started = True
        yield f"postgres://houqin@127.0.0.1:{port}/postgres"
    finally:
        if started:
            subprocess.run(
                [*runner, str(binaries / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"],
                check=False,
                stdout=subprocess.DEVNULL,
            )
        shutil.rmtree(base, ignore_errors=True)
        say("PostgreSQL cluster removed")


def check_browser() -> None:
    if not Path("/usr/bin/chromium").exists():
        fail(
            "/usr/bin/chromium is missing: the browser tests cannot run (apt-get install chromium)"
        )
    fonts = subprocess.run(["fc-list", ":lang=zh"], capture_output=True, text=True, check=False)
    if not fonts.stdout.strip():
        fail("no Chinese font installed: pages cannot be checked (apt-get install fonts-noto-cjk)")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="SQLite only, no browser tests")
    args, pytest_args = parser.parse_known_args()
    started = time.monotonic()
    env = {"PYTHONPATH": str(ROOT / "src"), "DJANGO_SETTINGS_MODULE": "houqin.settings.test"}
    os.environ.update(env)
    os.environ.pop("HOUQIN_DATABASE_URL", None)

    run("ruff check", [str(VENV_BIN / "ruff"), "check", "."])
    run("ruff format --check", [str(VENV_BIN / "ruff"), "format", "--check", "."])
    run("mypy (typed modules)", [str(VENV_BIN / "mypy")])
    run("makemigrations --check", manage("makemigrations", "--check", "--dry-run"))
    if shutil.which("msgfmt"):
        run("compilemessages", manage("compilemessages", "--ignore", ".venv/*"))
    elif not args.quick:
        fail("msgfmt is missing: translations cannot be compiled (apt-get install gettext)")
    run("translations complete", [PY, str(ROOT / "scripts" / "check_translations.py")])

    workers = ["-n", "2"] if os.cpu_count() and os.cpu_count() > 1 else []  # type: ignore[operator]
    if args.quick:
        print("\n\033[1;33m" + "!" * 72)
        print("  QUICK RUN: browser tests and PostgreSQL are SKIPPED. This is not a full check.")
        print("!" * 72 + "\033[0m\n", flush=True)
        run(
            "pytest on SQLite (quick)",
            [PY, "-m", "pytest", *workers, "-m", "not browser", *pytest_args],
        )
        say(f"quick run passed in {time.monotonic() - started:.0f} s (NOT a full check)")
        return

    check_browser()
    run("pytest on SQLite (browser tests included)", [PY, "-m", "pytest", *workers, *pytest_args])
    with postgres_cluster() as url:
        run(
            "pytest on PostgreSQL (browser tests included)",
            [PY, "-m", "pytest", *workers, *pytest_args],
            env={"HOUQIN_DATABASE_URL": url},
        )
    say(f"all checks passed in {time.monotonic() - started:.0f} s")


if __name__ == "__main__":
    main()
