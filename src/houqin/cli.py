"""Entry point for ``./houqin manage``: Django's management commands with our settings."""

from __future__ import annotations

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "houqin.settings.base")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["houqin", *sys.argv[1:]])


if __name__ == "__main__":
    main()
