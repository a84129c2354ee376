"""A throwaway PostgreSQL server with production settings, for district-scale benchmarks.

    .venv/bin/python -m bench.pgserver [--where DIR]     # prints the URL, runs until Ctrl-C

Unlike the test suite's server (no fsync), this one writes durably and is sized for a
2-core, 24 GB machine the way a school district's server would be configured: shared
buffers 4 GB, effective cache 12 GB, work memory 32 MB, random page cost 1.1 (SSD).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SETTINGS = (
    "-c shared_buffers=4GB -c effective_cache_size=12GB -c work_mem=32MB "
    "-c maintenance_work_mem=1GB -c random_page_cost=1.1 -c max_connections=100 "
    "-c max_wal_size=8GB -c checkpoint_completion_target=0.9 -c jit=off"
)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.pgserver", description=__doc__)
    parser.add_argument("--where", help="folder for the cluster (default: the temporary folder)")
    parser.add_argument("--url-file", help="also write the URL into this file")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT / "scripts"))
    from run_tests import postgres_cluster

    with postgres_cluster(SETTINGS, args.where) as url:
        print(url, flush=True)
        if args.url_file:
            Path(args.url_file).write_text(url)
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            return 0
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
