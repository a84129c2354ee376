"""The real server for benchmarks and fault tests: gunicorn as ``./houqin serve`` runs it.

    with Server(url, workers=2) as server:
        client = Client(server.base); client.login("s01-director")
        server.kill_worker(); server.kill_all(); server.start()

Listens on a free port of 127.0.0.1 only. ``HOUQIN_VAR_DIR`` points at a work folder of the
run (job queue, media, the server's log), so a benchmark never touches ``var/``.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import time
from pathlib import Path
from types import TracebackType
from typing import Any

import requests

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


class Server:
    def __init__(
        self,
        database_url: str,
        *,
        workers: int = 2,
        threads: int = 2,
        workdir: Path | None = None,
        extra_env: dict[str, str] | None = None,
    ) -> None:
        self.database_url = database_url
        self.workers = workers
        self.threads = threads
        self.workdir = workdir or ROOT / "var" / "bench" / "server"
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.extra_env = extra_env or {}
        self.process: subprocess.Popen[bytes] | None = None

    def env(self) -> dict[str, str]:
        return {
            **os.environ,
            "PYTHONPATH": f"{ROOT / 'src'}:{ROOT}",
            "DJANGO_SETTINGS_MODULE": "houqin.settings.base",
            "HOUQIN_VAR_DIR": str(self.workdir),
            "HOUQIN_DATABASE_URL": self.database_url,
            "HOUQIN_WORKERS": str(self.workers),
            "HOUQIN_THREADS": str(self.threads),
            **self.extra_env,
        }

    def collect_static(self) -> None:
        """Collect the static files into the work folder once (whitenoise serves them)."""
        if (self.workdir / "static" / "staticfiles.json").exists():
            return
        subprocess.run(
            [
                str(ROOT / ".venv" / "bin" / "python"),
                "-m",
                "houqin.cli",
                "collectstatic",
                "--noinput",
                "-v",
                "0",
            ],
            env=self.env(),
            cwd=str(ROOT),
            check=True,
        )

    def start(self, timeout: float = 180) -> None:
        self.collect_static()
        log = (self.workdir / "gunicorn.log").open("ab")
        self.process = subprocess.Popen(
            [
                str(ROOT / ".venv" / "bin" / "gunicorn"),
                "houqin.wsgi:application",
                "--config",
                str(ROOT / "src" / "houqin" / "gunicorn_conf.py"),
                "--bind",
                f"127.0.0.1:{self.port}",
            ],
            env=self.env(),
            stdout=log,
            stderr=subprocess.STDOUT,
            cwd=str(ROOT),
            start_new_session=True,  # its own process group: kill_all reaches the workers
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited: see {self.workdir / 'gunicorn.log'}")
            try:
                answer = requests.get(f"{self.base}/accounts/login/", timeout=5)
                if answer.status_code == 200 and len(self.worker_pids()) >= self.workers:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.3)
        self.stop()
        raise RuntimeError(
            f"gunicorn did not start within {timeout} s: see {self.workdir / 'gunicorn.log'}"
        )

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.kill_all()

    def worker_pids(self) -> list[int]:
        """The gunicorn workers (children of the master)."""
        if self.process is None:
            return []
        try:
            text = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children").read_text()
        except OSError:
            return []
        return [int(pid) for pid in text.split()]

    def kill_worker(self) -> int:
        """SIGKILL one worker (the master starts a new one); returns its pid."""
        pids = self.worker_pids()
        if not pids:
            raise RuntimeError("no worker to kill")
        os.kill(pids[0], signal.SIGKILL)
        return pids[0]

    def kill_all(self) -> None:
        """SIGKILL the master and every worker at once, like a power cut of the server."""
        if self.process is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()

    def peak_memory_kb(self) -> dict[int, int]:
        """Peak resident memory (VmHWM) of each live worker, in KiB."""
        peaks = {}
        for pid in self.worker_pids():
            try:
                for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                    if line.startswith("VmHWM:"):
                        peaks[pid] = int(line.split()[1])
            except OSError:
                continue
        return peaks

    def __enter__(self) -> Server:
        self.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> Any:
        self.stop()
        return None
