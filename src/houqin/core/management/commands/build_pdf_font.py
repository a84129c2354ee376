"""Cut the face PDFs are written in from the system's Noto Sans CJK (see core.pdf_font)."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from houqin.core import pdf_font


class Command(BaseCommand):
    help = "Cut the PDF face (GB 2312) from the system's Noto Sans CJK SC; about 20 seconds."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--if-missing", action="store_true", help="do nothing when the face is up to date"
        )

    def handle(self, *args: Any, if_missing: bool, **options: Any) -> None:
        path = pdf_font.font_path()
        stamp = path.with_suffix(".version")
        current = stamp.is_file() and stamp.read_text().strip() == pdf_font.FORMAT_VERSION
        if if_missing and path.is_file() and current:
            return
        started = time.monotonic()
        try:
            pdf_font.build(path)
        except FileNotFoundError as exc:
            raise CommandError(
                _("The PDF face cannot be built: %(reason)s. PDFs use the full face meanwhile.")
                % {"reason": exc}
            ) from exc
        stamp.write_text(pdf_font.FORMAT_VERSION + "\n")
        self.stdout.write(
            _("PDF face written to %(path)s in %(seconds).0f s.")
            % {"path": path, "seconds": time.monotonic() - started}
        )
