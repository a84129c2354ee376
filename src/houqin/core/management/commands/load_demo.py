"""``manage load_demo``: the demo district, schools and accounts (safe to run again)."""

from __future__ import annotations

import unicodedata
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from houqin.accounts.models import Membership
from houqin.demo import data
from houqin.demo.loader import load_demo


def _width(text: str) -> int:
    """Columns on a terminal: Chinese characters take two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _table(rows: list[list[str]]) -> list[str]:
    widths = [max(_width(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = []
    for n, row in enumerate(rows):
        cells = [cell + " " * (widths[i] - _width(cell)) for i, cell in enumerate(row)]
        lines.append("  ".join(cells).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return lines


class Command(BaseCommand):
    help = _("Load the demo district, a secondary school, a kindergarten and their accounts.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            counts = load_demo(stdout=self.stdout if options["verbosity"] > 1 else None)
        except RuntimeError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "Demo data ready: %(schools)s schools, %(buildings)s buildings, "
                    "%(rooms)s rooms, %(users)s people (%(created)s rows created, "
                    "%(updated)s updated)."
                )
                % counts
            )
        )
        if options["verbosity"] == 0:
            return
        rows = [[capfirst(_("username")), capfirst(_("role")), _("School"), _("Password")]]
        for username, *_rest in data.PERSONAS:
            membership = (
                Membership.objects.filter(user__username=username)
                .select_related("role", "school", "district")
                .order_by("pk")
                .first()
            )
            if membership is None:
                continue
            where = membership.school or membership.district
            rows.append([username, membership.role.name, str(where), data.PASSWORD])
        self.stdout.write("")
        for line in _table(rows):
            self.stdout.write(line)
        self.stdout.write("")
        self.stdout.write(
            _("%(count)s more staff accounts (t0001…, k0001…) use the same password.")
            % {"count": len(data.EXTRA_STAFF)}
        )
        self.stdout.write(
            _(
                "Open http://127.0.0.1:8000/ (or the address the server listens on) "
                "and sign in with one of these accounts."
            )
        )
