"""``./houqin backup``: the database and the uploaded files into one timestamped archive."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from houqin.core.backup import BackupError, create_backup


class Command(BaseCommand):
    help = "Back up the database and the uploaded files into one archive (default var/backups)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", type=Path, default=Path(settings.VAR_DIR) / "backups")
        parser.add_argument(
            "--keep", type=int, help="keep only the N newest archives in the folder"
        )

    def handle(self, *args: Any, output: Path, keep: int | None, **options: Any) -> None:
        if keep is not None and keep < 1:
            raise CommandError(_("--keep must be at least 1."))
        try:
            result = create_backup(output, keep=keep)
        except BackupError as error:
            raise CommandError(str(error)) from error
        manifest = result.manifest
        self.stdout.write(
            _(
                "Backup written: %(path)s "
                "(%(vendor)s, %(tables)s tables, %(rows)s rows, %(files)s files)."
            )
            % {
                "path": result.path,
                "vendor": manifest.vendor,
                "tables": len(manifest.tables),
                "rows": sum(manifest.tables.values()),
                "files": len(manifest.media),
            }
        )
        if manifest.media_storage != "filesystem":
            self.stdout.write(
                _(
                    "Attachments are kept in the S3 bucket: back the bucket up with its own tools "
                    "(versioning or replication)."
                )
            )
        for path in result.removed:
            self.stdout.write(_("Removed old backup %(path)s.") % {"path": path.name})
