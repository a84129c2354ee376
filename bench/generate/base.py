"""What every part of the data generator shares: the preset, the world, fast inserts.

Rows are dictionaries ``{attname: value}`` produced lazily by generators and written in
batches: ``COPY … FROM STDIN`` on PostgreSQL, one ``executemany`` per batch on SQLite. Keys
are allocated here (``Ctx.ids``), so parts can refer to rows they have not written yet, and
document numbers (``Ctx.number``) are counted here and stored as the schools' sequences at the
end, so documents created afterwards continue without a gap or a collision.
"""

from __future__ import annotations

import datetime
import json
import random
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.db import connection, models

TZ = ZoneInfo("Asia/Shanghai")
BATCH = 20_000


@dataclass(frozen=True)
class Preset:
    """How much of everything to make. ``years`` of history end today."""

    name: str
    schools: int
    users: int
    assets: int
    repairs: int
    movements: int
    purchase_lines: int
    print_jobs: int
    years: int = 5
    seed: int = 2026

    def scaled(self, **changes: Any) -> Preset:
        values = {**self.__dict__, **changes}
        return Preset(**values)


PRESETS: dict[str, Preset] = {
    "district": Preset(
        "district",
        schools=50,
        users=10_000,
        assets=500_000,
        repairs=1_000_000,
        movements=2_000_000,
        purchase_lines=200_000,
        print_jobs=300_000,
    ),
    "school": Preset(
        "school",
        schools=1,
        users=250,
        assets=10_000,
        repairs=20_000,
        movements=40_000,
        purchase_lines=4_000,
        print_jobs=6_000,
    ),
    "small": Preset(
        "small",
        schools=2,
        users=80,
        assets=1_000,
        repairs=2_000,
        movements=4_000,
        purchase_lines=400,
        print_jobs=600,
        years=2,
    ),
}


def rows_preset(rows: int, *, schools: int = 1) -> Preset:
    """A preset with about ``rows`` rows in every list (the query-count tests use 10 and 1,000)."""
    return Preset(
        f"rows-{rows}",
        schools=schools,
        users=max(60, min(rows, 200)),
        assets=rows,
        repairs=rows,
        movements=rows,
        purchase_lines=rows,
        print_jobs=rows,
        years=2,
    )


@dataclass
class SchoolWorld:
    """One school as the parts see it: keys of its places, people, departments and calendar."""

    id: int
    code: str
    name: str
    kind: str
    index: int
    share: float  # of the district's activity (bigger schools do more)
    campus: int
    buildings: list[int]
    rooms: list[tuple[int, int]]  # (room id, building id)
    departments: list[int]
    department_heads: dict[int, int]  # department id -> head user id
    people: dict[str, list[int]]  # role code -> user ids
    staff: list[tuple[int, int]]  # (user id, department id) of every member
    years: list[tuple[int, datetime.date, datetime.date]]  # (id, start, end), oldest first
    terms: list[
        tuple[int, int, str, datetime.date, datetime.date]
    ]  # (id, year id, kind, start, end)

    def person(self, role: str, rng: random.Random) -> int:
        """Somebody holding ``role`` here (falls back to the director, then anybody)."""
        for code in (role, "director"):
            if self.people.get(code):
                return rng.choice(self.people[code])
        return rng.choice(self.staff)[0]

    def year_of(self, day: datetime.date) -> int | None:
        for pk, start, end in self.years:
            if start <= day <= end:
                return pk
        return None


@dataclass
class Ctx:
    preset: Preset
    now: datetime.datetime
    district: int = 0
    schools: list[SchoolWorld] = field(default_factory=list)
    shared: dict[str, Any] = field(default_factory=dict)  # what one part leaves for the next
    counts: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    _next_id: dict[str, int] = field(default_factory=dict)
    _numbers: dict[tuple[int, str, int], int] = field(default_factory=dict)

    # -- randomness and time ------------------------------------------------------------------

    def rng(self, name: str) -> random.Random:
        """A generator of its own per part and purpose, so parts do not disturb each other."""
        return random.Random(f"{self.preset.seed}:{self.preset.name}:{name}")

    @property
    def today(self) -> datetime.date:
        return self.now.astimezone(TZ).date()

    @property
    def start(self) -> datetime.date:
        """The first day of the history: 1 September ``years`` school years ago."""
        today = self.today
        first = today.year - self.preset.years + (1 if today.month >= 9 else 0)
        return datetime.date(first, 9, 1)

    def moment(
        self, day: datetime.date, rng: random.Random, hours: tuple[int, int] = (8, 17)
    ) -> datetime.datetime:
        """A working-hours moment on ``day`` (never after now)."""
        seconds = rng.randrange(hours[0] * 3600, hours[1] * 3600)
        value = datetime.datetime.combine(day, datetime.time(), TZ) + datetime.timedelta(
            seconds=seconds
        )
        return min(value, self.now)

    def day(
        self,
        rng: random.Random,
        start: datetime.date | None = None,
        end: datetime.date | None = None,
    ) -> datetime.date:
        """A school day (Monday to Friday) between ``start`` and ``end`` (default: the history)."""
        first = start or self.start
        last = end or self.today
        span = max(0, (last - first).days)
        for _ in range(10):
            value = first + datetime.timedelta(days=rng.randint(0, span))
            if value.weekday() < 5:
                return value
        return value

    def spread(self, total: int) -> list[int]:
        """``total`` shared among the schools by their size; the shares add up exactly."""
        raw = [total * school.share for school in self.schools]
        parts = [int(value) for value in raw]
        rest = total - sum(parts)
        order = sorted(range(len(raw)), key=lambda i: raw[i] - parts[i], reverse=True)
        for i in order[:rest]:
            parts[i] += 1
        return parts

    # -- keys and document numbers ------------------------------------------------------------

    def ids(self, model: type[models.Model], count: int) -> range:
        """Reserve ``count`` consecutive primary keys of ``model``."""
        table = model._meta.db_table
        if table not in self._next_id:
            with connection.cursor() as cursor:
                cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")
                self._next_id[table] = int(cursor.fetchone()[0]) + 1
        first = self._next_id[table]
        self._next_id[table] = first + count
        return range(first, first + count)

    def _take(self, table: str) -> int:
        value = self._next_id[table]
        self._next_id[table] = value + 1
        return value

    def forget_ids(self, model: type[models.Model]) -> None:
        """After rows were added outside ``insert`` (``INSERT … SELECT``), count keys afresh."""
        self._next_id.pop(model._meta.db_table, None)

    def number(self, school_id: int, prefix: str, day: datetime.date) -> str:
        """The next document number, as ``core.numbers.next_number`` would give it that day."""
        key = (school_id, prefix, day.year)
        value = self._numbers.get(key, 0) + 1
        self._numbers[key] = value
        return f"{prefix}-{day.year}-{value:06d}"

    def save_numbers(self) -> None:
        from houqin.core.models import DocumentSequence

        for (school_id, prefix, year), last in self._numbers.items():
            DocumentSequence.objects.update_or_create(
                school_id=school_id, prefix=prefix, year=year, defaults={"last_number": last}
            )

    # -- writing ------------------------------------------------------------------------------

    def insert(self, model: type[models.Model], rows: Iterable[dict[str, Any]]) -> int:
        """Write ``rows`` (each with its ``id`` unless the table numbers them) in batches."""
        writer = _Writer(model, self.now)
        count = 0
        batch: list[tuple[Any, ...]] = []
        table = model._meta.db_table
        for row in rows:
            if "id" not in row:
                row["id"] = (
                    self.ids(model, 1).start if table not in self._next_id else self._take(table)
                )
            batch.append(writer.values(row))
            if len(batch) >= BATCH:
                writer.write(batch)
                count += len(batch)
                batch = []
        if batch:
            writer.write(batch)
            count += len(batch)
        label = model._meta.label
        self.counts[label] = self.counts.get(label, 0) + count
        return count

    def timed(self, name: str, work: Callable[[Ctx], Any]) -> Any:
        started = time.perf_counter()
        result = work(self)
        self.seconds[name] = round(self.seconds.get(name, 0.0) + time.perf_counter() - started, 1)
        return result


class _Writer:
    """Column order, defaults and per-column conversion of one model, for one backend."""

    def __init__(self, model: type[models.Model], now: datetime.datetime) -> None:
        self.model = model
        self.table = model._meta.db_table
        self.vendor = connection.vendor
        ops = connection.ops
        self.columns: list[tuple[str, Callable[[Any], Any], Any, bool]] = []
        for f in model._meta.concrete_fields:
            if isinstance(f, models.AutoField | models.BigAutoField):
                default: Any = None
                per_row = False
            elif getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                default, per_row = now, False
            elif f.has_default():
                per_row = callable(f.default)
                default = f.get_default if per_row else f.get_default()
            elif f.null:
                default, per_row = None, False
            elif f.blank and f.get_internal_type() in ("CharField", "TextField"):
                default, per_row = "", False
            else:
                default, per_row = _REQUIRED, False
            self.columns.append((f.attname, self._converter(f, ops), default, per_row))
        self.names = [c[0] for c in self.columns]
        self.required = [name for name, _c, default, _p in self.columns if default is _REQUIRED]
        self.fast: list[tuple[str, Callable[[Any], Any], Any]] = []
        for name, convert, default, per_row in self.columns:
            if per_row:
                convert, default = _filled(convert, default), _MISSING
            self.fast.append((name, convert, None if default is _REQUIRED else default))

    def _converter(self, f: models.Field[Any, Any], ops: Any) -> Callable[[Any], Any]:
        kind = f.get_internal_type()
        if kind == "UUIDField":
            return lambda v: f.get_db_prep_value(v, connection)
        if kind == "JSONField":
            return lambda v: None if v is None else json.dumps(v, ensure_ascii=False)
        if self.vendor != "sqlite":
            return _same
        if kind == "DateTimeField":
            return _utc_text  # the text Django writes for an aware time, without its machinery
        if kind in ("DateField", "TimeField"):
            return _iso
        if kind == "DecimalField":
            places = f.decimal_places  # type: ignore[attr-defined]
            digits = f.max_digits  # type: ignore[attr-defined]
            return lambda v: ops.adapt_decimalfield_value(v, digits, places)
        return _same

    def values(self, row: dict[str, Any]) -> tuple[Any, ...]:
        if self.required:
            missing = [name for name in self.required if name not in row]
            if missing:
                label = self.model._meta.label
                raise KeyError(f"{label}: no value for required column {missing[0]!r}")
            self.required = []  # the rows of a table are made alike: the first one tells
        get = row.get
        return tuple([None if (v := get(n, d)) is None else c(v) for n, c, d in self.fast])

    def write(self, batch: list[tuple[Any, ...]]) -> None:
        names = ", ".join(f'"{name}"' for name in self.names)
        with connection.cursor() as cursor:
            if self.vendor == "postgresql":
                raw = cursor.cursor
                with raw.copy(f'COPY "{self.table}" ({names}) FROM STDIN') as copy:
                    for values in batch:
                        copy.write_row(values)
            else:
                marks = ", ".join("?" for _ in self.names)
                raw = cursor.cursor
                raw.executemany(f'INSERT INTO "{self.table}" ({names}) VALUES ({marks})', batch)


_REQUIRED = object()
_MISSING = object()


def _filled(convert: Callable[[Any], Any], make: Callable[[], Any]) -> Callable[[Any], Any]:
    def fill(value: Any) -> Any:
        value = make() if value is _MISSING else value
        return None if value is None else convert(value)

    return fill


def _utc_text(value: datetime.datetime) -> str:
    return str(value.astimezone(datetime.UTC))[:-6]


def _iso(value: Any) -> str:
    return value if isinstance(value, str) else value.isoformat()


def _same(value: Any) -> Any:
    return value


def money(value: float | Decimal) -> Decimal:
    return Decimal(value).quantize(Decimal("0.01"))


def chunks(values: Iterable[Any], size: int) -> Iterator[list[Any]]:
    batch: list[Any] = []
    for value in values:
        batch.append(value)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch
