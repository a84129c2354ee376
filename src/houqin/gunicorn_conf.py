"""Gunicorn configuration used by ``./houqin serve`` and ``./houqin demo``."""

from __future__ import annotations

import gc
import multiprocessing
import os
from typing import Any

workers = int(os.environ.get("HOUQIN_WORKERS", min(4, multiprocessing.cpu_count() * 2)))
threads = int(os.environ.get("HOUQIN_THREADS", "2"))
preload_app = True
timeout = 60
graceful_timeout = 20
accesslog = "-" if os.environ.get("HOUQIN_ACCESS_LOG") else None
errorlog = "-"
max_requests = 5000
max_requests_jitter = 500
# No control socket: it lives at one fixed path per user, which several servers on one
# machine (a test run, a benchmark beside the site) would share.
control_socket_disable = True


def post_fork(server: Any, worker: Any) -> None:
    # Freeze the heap built at import time so full collections skip it in every request.
    gc.freeze()
