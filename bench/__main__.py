"""``./houqin bench <command>``: generate, run, crash, concurrency (see each module)."""

from __future__ import annotations

import sys


def main(argv: list[str]) -> int:
    commands = {
        "generate": "bench.cli_generate",
        "run": "bench.run",
        "crash": "bench.crash",
        "concurrency": "bench.concurrency",
    }
    if not argv or argv[0] not in commands:
        print("usage: ./houqin bench {generate|run|crash|concurrency} [options] (--help for each)")
        return 2
    import importlib

    module = importlib.import_module(commands[argv[0]])
    return int(module.main(argv[1:]) or 0)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
