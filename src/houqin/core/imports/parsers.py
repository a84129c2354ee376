"""Cell parsers: turn what a spreadsheet or CSV cell holds into a Python value, or say why not.

Cells come from python-calamine (str, float, int, bool, date, datetime, time, timedelta) or
from CSV (always str). A parser raises ``ValidationError`` with a message in the request's
language; ``None`` means an empty cell.
"""

from __future__ import annotations

import datetime
import decimal
import re
import unicodedata
from collections.abc import Callable, Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .context import ImportContext

EXCEL_EPOCH = datetime.date(1899, 12, 30)
YES = gettext_lazy("Yes")
NO = gettext_lazy("No")


def normalize(text: Any) -> str:
    """The form in which headers and looked-up names are compared: NFKC, no spaces, casefolded."""
    folded = unicodedata.normalize("NFKC", str(text)).casefold()
    return "".join(folded.split()).strip("*")


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def as_text(value: Any) -> str:
    """A cell as text: whole numbers that Excel stored as 101.0 come back as ``101``."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value).strip()


def in_languages(label: str | Promise, languages: Iterable[str] = ("zh-hans", "en")) -> list[str]:
    """A translatable label in every language Houqin speaks."""
    result = []
    for language in languages:
        with translation.override(language):
            result.append(str(label))
    return result


class Parser:
    """Base class: ``parse`` a non-empty cell; ``describe`` the expected format."""

    def parse(self, value: Any, ctx: ImportContext) -> Any:
        return value

    def describe(self) -> str:
        return ""

    def allowed_values(self, ctx: ImportContext) -> list[str] | None:
        """Values for a drop-down and the template's list of allowed values."""
        return None

    def to_cell(self, value: Any) -> Any:
        """How a parsed value is written into the template's example row."""
        return value


class Text(Parser):
    def __init__(self, max_length: int | None = None) -> None:
        self.max_length = max_length

    def parse(self, value: Any, ctx: ImportContext) -> str:
        text = as_text(value)
        if self.max_length is not None and len(text) > self.max_length:
            raise ValidationError(
                _("At most %(max)s characters (this has %(count)s).")
                % {"max": self.max_length, "count": len(text)}
            )
        return text

    def describe(self) -> str:
        if self.max_length:
            return _("Text, at most %(max)s characters") % {"max": self.max_length}
        return _("Text")


class Integer(Parser):
    def __init__(self, min_value: int | None = None, max_value: int | None = None) -> None:
        self.min_value = min_value
        self.max_value = max_value

    def parse(self, value: Any, ctx: ImportContext) -> int:
        if isinstance(value, bool):
            raise ValidationError(_("Enter a whole number."))
        if isinstance(value, float):
            if not value.is_integer():
                raise ValidationError(_("Enter a whole number."))
            number = int(value)
        elif isinstance(value, int):
            number = value
        else:
            text = as_text(value).replace(",", "")
            if not re.fullmatch(r"[+-]?\d+(\.0*)?", text):
                raise ValidationError(_("“%(value)s” is not a whole number.") % {"value": text})
            number = int(text.split(".")[0])
        if self.min_value is not None and number < self.min_value:
            raise ValidationError(_("Enter %(min)s or more.") % {"min": self.min_value})
        if self.max_value is not None and number > self.max_value:
            raise ValidationError(_("Enter %(max)s or less.") % {"max": self.max_value})
        return number

    def describe(self) -> str:
        if self.min_value is not None and self.max_value is not None:
            return _("Whole number from %(min)s to %(max)s") % {
                "min": self.min_value,
                "max": self.max_value,
            }
        if self.min_value is not None:
            return _("Whole number, %(min)s or more") % {"min": self.min_value}
        return _("Whole number")


class Decimal(Parser):
    def __init__(self, places: int = 2, min_value: decimal.Decimal | int | None = 0) -> None:
        self.places = places
        self.min_value = min_value

    def parse(self, value: Any, ctx: ImportContext) -> decimal.Decimal:
        if isinstance(value, bool):
            raise ValidationError(_("Enter a number."))
        text = as_text(value).replace(",", "") if not isinstance(value, float) else repr(value)
        try:
            number = decimal.Decimal(text)
        except decimal.InvalidOperation:
            raise ValidationError(_("“%(value)s” is not a number.") % {"value": text}) from None
        if not number.is_finite():
            raise ValidationError(_("“%(value)s” is not a number.") % {"value": text})
        quantum = decimal.Decimal(1).scaleb(-self.places)
        rounded = number.quantize(quantum, rounding=decimal.ROUND_HALF_UP)
        if rounded != number and isinstance(value, str):
            raise ValidationError(_("At most %(places)s decimal places.") % {"places": self.places})
        if self.min_value is not None and rounded < self.min_value:
            raise ValidationError(_("Enter %(min)s or more.") % {"min": self.min_value})
        return rounded

    def describe(self) -> str:
        return _("Number with up to %(places)s decimal places") % {"places": self.places}

    def to_cell(self, value: Any) -> Any:
        return float(value)


class Date(Parser):
    PATTERNS = (
        r"(\d{4})-(\d{1,2})-(\d{1,2})",
        r"(\d{4})/(\d{1,2})/(\d{1,2})",
        r"(\d{4})\.(\d{1,2})\.(\d{1,2})",
        r"(\d{4})年(\d{1,2})月(\d{1,2})日?",
        r"(\d{4})(\d{2})(\d{2})",
    )

    def parse(self, value: Any, ctx: ImportContext) -> datetime.date:
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        is_number = isinstance(value, int | float) and not isinstance(value, bool)
        if is_number and 1 <= value < 2958466:  # Excel's serial day numbers up to 9999-12-31
            return EXCEL_EPOCH + datetime.timedelta(days=int(value))
        text = as_text(value)
        for pattern in self.PATTERNS:
            match = re.fullmatch(pattern + r"(?:[ T]00:00(?::00)?)?", text)
            if match:
                try:
                    return datetime.date(*(int(part) for part in match.groups()))
                except ValueError:
                    break
        raise ValidationError(
            _("“%(value)s” is not a date; write it like 2026-09-01.") % {"value": text}
        )

    def describe(self) -> str:
        return _("Date, for example 2026-09-01")


class Boolean(Parser):
    TRUE = frozenset({"1", "y", "yes", "true", "是", "√", "✓", "✔"})
    FALSE = frozenset({"0", "n", "no", "false", "否", "×", "✗", "✘"})

    def __init__(self) -> None:
        self._words: tuple[frozenset[str], frozenset[str]] | None = None

    def words(self) -> tuple[frozenset[str], frozenset[str]]:
        if self._words is None:
            self._words = (
                self.TRUE | {normalize(s) for s in in_languages(YES)},
                self.FALSE | {normalize(s) for s in in_languages(NO)},
            )
        return self._words

    def parse(self, value: Any, ctx: ImportContext) -> bool:
        if isinstance(value, bool):
            return value
        text = normalize(as_text(value))
        true_words, false_words = self.words()
        if text in true_words:
            return True
        if text in false_words:
            return False
        raise ValidationError(
            _("“%(value)s” is neither %(yes)s nor %(no)s.")
            % {"value": as_text(value), "yes": _("Yes"), "no": _("No")}
        )

    def describe(self) -> str:
        return _("%(yes)s or %(no)s") % {"yes": _("Yes"), "no": _("No")}

    def allowed_values(self, ctx: ImportContext) -> list[str]:
        return [_("Yes"), _("No")]

    def to_cell(self, value: Any) -> Any:
        return _("Yes") if value else _("No")


class Choice(Parser):
    """One of a model field's choices, by its label in any language or by its code."""

    def __init__(self, choices: Iterable[tuple[Any, Any]]) -> None:
        self.choices = list(choices)
        self._index: dict[str, Any] | None = None

    def index(self) -> dict[str, Any]:
        if self._index is None:
            index: dict[str, Any] = {}
            for code, label in self.choices:
                index.setdefault(normalize(code), code)
                for text in in_languages(label):
                    index.setdefault(normalize(text), code)
            self._index = index
        return self._index

    def parse(self, value: Any, ctx: ImportContext) -> Any:
        code = self.index().get(normalize(as_text(value)))
        if code is None:
            raise ValidationError(
                _("“%(value)s” is not one of the allowed values: %(allowed)s.")
                % {"value": as_text(value), "allowed": "、".join(self.allowed_values(ctx))}
            )
        return code

    def describe(self) -> str:
        return _("One of the allowed values")

    def allowed_values(self, ctx: ImportContext) -> list[str]:
        return [str(label) for _code, label in self.choices]

    def to_cell(self, value: Any) -> Any:
        for code, label in self.choices:
            if code == value:
                return str(label)
        return value


class Lookup(Parser):
    """A related object, found by one of its ``keys`` (name, code…) in a queryset that
    ``queryset(ctx)`` narrows to the target school. All candidates are loaded in one query."""

    def __init__(
        self,
        queryset: Callable[[ImportContext], QuerySet[Any]],
        keys: tuple[str, ...] = ("name",),
        *,
        display: Callable[[Any], str] = str,
        not_found: str | Promise | None = None,
        description: str | Promise | None = None,
    ) -> None:
        self.queryset = queryset
        self.keys = keys
        self.display = display
        self.not_found = not_found
        self.description = description

    def candidates(self, ctx: ImportContext) -> tuple[list[Any], dict[str, list[Any]]]:
        cached = ctx.cache.get(id(self))
        if cached is None:
            objects = list(self.queryset(ctx))
            index: dict[str, list[Any]] = {}
            for obj in objects:
                seen: set[str] = set()
                for key in self.keys:
                    raw = getattr(obj, key, None)
                    if is_blank(raw):
                        continue
                    norm = normalize(raw)
                    if norm not in seen:
                        seen.add(norm)
                        index.setdefault(norm, []).append(obj)
            cached = (objects, index)
            ctx.cache[id(self)] = cached
        return cached

    def parse(self, value: Any, ctx: ImportContext) -> Any:
        _objects, index = self.candidates(ctx)
        found = index.get(normalize(as_text(value)), [])
        if len(found) == 1:
            return found[0]
        if not found:
            message = self.not_found or _("“%(value)s” was not found in this school.")
            raise ValidationError(str(message) % {"value": as_text(value)})
        raise ValidationError(
            _("“%(value)s” matches %(count)s entries; use a more precise name or the code.")
            % {"value": as_text(value), "count": len(found)}
        )

    def describe(self) -> str:
        return str(self.description) if self.description else _("One of the allowed values")

    def allowed_values(self, ctx: ImportContext) -> list[str]:
        objects, _index = self.candidates(ctx)
        return [self.display(obj) for obj in objects]

    def to_cell(self, value: Any) -> Any:
        if value is None or isinstance(value, str):
            return value or ""
        return self.display(value)
