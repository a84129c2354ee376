"""Run an import: read, validate every row, then write everything or nothing.

Every row is parsed, built and ``full_clean``-ed; duplicates are looked for within the file
and in the database (the models' unique fields and constraints) before anything is written.
Only a file without a single error is saved: in one transaction, with ``bulk_create`` in
batches and one audit entry per created object, in a constant number of queries per batch.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import DatabaseError, transaction
from django.db.models import Field, Model, UniqueConstraint
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from .. import audit
from ..models import AuditedModel, AuditEntry
from .context import ImportContext, ImportResult, RowError
from .parsers import as_text, is_blank, normalize
from .readers import ReadError, read_rows
from .spec import ImportColumn, ImportSpec

QUERY_CHUNK = 900  # values per query when looking for duplicates (SQLite's old limit is 999)
Built = tuple[int, list[Model]]


def import_file(*, spec: ImportSpec, file: Any, school: Any, actor: Any) -> ImportResult:
    """Import an uploaded file (anything with ``read``, or bytes) into ``school``."""
    limit = settings.HOUQIN_UPLOAD_MAX_BYTES
    size = getattr(file, "size", None)
    if size is not None and size > limit:
        return _file_error(too_large(limit))
    if isinstance(file, bytes):
        data = file
    else:
        if hasattr(file, "seek"):
            file.seek(0)
        data = file.read(limit + 1)
    if len(data) > limit:
        return _file_error(too_large(limit))
    try:
        sheet = read_rows(data, spec.max_rows)
    except ReadError as exc:
        return _file_error(str(exc))
    return import_rows(spec, sheet.rows, ImportContext(school=school, actor=actor))


def too_large(limit: int) -> str:
    return _("The file is larger than %(size)s MB.") % {"size": limit // (1024 * 1024)}


def _file_error(message: str) -> ImportResult:
    return ImportResult(errors=[RowError(0, "", message)])


def import_rows(
    spec: ImportSpec, rows: Sequence[tuple[int, list[Any]]], ctx: ImportContext
) -> ImportResult:
    """Validate ``rows`` (header first, each with its Excel row number) and save them."""
    if not rows:
        return _file_error(_("The file is empty."))
    header_no, header = rows[0]
    mapping, errors = match_headers(spec, header_no, header)
    if errors:
        return ImportResult(errors=errors)
    data_rows = rows[1:]
    if not data_rows:
        return _file_error(_("The file has column headers but no rows."))
    result = ImportResult()
    example = _example_key(spec, ctx, mapping)
    built: list[Built] = []
    for number, cells in data_rows:
        if example is not None and _is_example(cells, example):
            result.skipped_example = True
            continue
        instances = _build_row(spec, ctx, number, cells, mapping, result.errors)
        if instances is not None:
            built.append((number, instances))
    if not built and not result.errors:
        return _file_error(_("The file has column headers but no rows."))
    result.errors.extend(find_duplicates(spec, built, mapping))
    if result.errors:
        order = {column.name: i for i, column in enumerate(spec.columns)}
        labels = {header_label(c, mapping): order[c.name] for c in spec.columns}
        result.errors.sort(key=lambda e: (e.row, labels.get(e.column, len(order)), e.message))
        return result
    try:
        result.created = save(spec, ctx, built)
    except DatabaseError as exc:
        return _file_error(
            _("The database refused the rows, so nothing was imported: %(error)s") % {"error": exc}
        )
    return result


def match_headers(
    spec: ImportSpec, header_no: int, header: list[Any]
) -> tuple[dict[str, tuple[int, str]], list[RowError]]:
    """column name -> (cell index, header as written); errors for unknown, repeated and
    missing headers."""
    keys = {column.name: column.header_keys() for column in spec.columns}
    mapping: dict[str, tuple[int, str]] = {}
    errors: list[RowError] = []
    expected = "、".join(column.header() for column in spec.columns)
    unknown = 0
    for index, cell in enumerate(header):
        if is_blank(cell):
            continue
        text = as_text(cell)
        found = [name for name, accepted in keys.items() if normalize(text) in accepted]
        if not found:
            unknown += 1
            errors.append(
                RowError(
                    header_no,
                    text,
                    _("Unknown column “%(header)s”. The columns are: %(expected)s.")
                    % {"header": text, "expected": expected},
                )
            )
        elif found[0] in mapping:
            message = _("The column “%(header)s” appears twice.") % {"header": text}
            errors.append(RowError(header_no, text, message))
        else:
            mapping[found[0]] = (index, text)
    if not mapping and unknown:
        return mapping, [
            RowError(
                header_no,
                "",
                _("The first row must hold the column headers: %(expected)s.")
                % {"expected": expected},
            )
        ]
    for column in spec.columns:
        if column.required and column.name not in mapping:
            errors.append(
                RowError(
                    header_no,
                    column.header(),
                    _("The required column “%(header)s” is missing.") % {"header": column.header()},
                )
            )
    return mapping, errors


def header_label(column: ImportColumn, mapping: dict[str, tuple[int, str]]) -> str:
    """A column as the user's file calls it (or as the template would)."""
    return mapping[column.name][1] if column.name in mapping else column.header()


def _cell(cells: list[Any], index: int) -> Any:
    return cells[index] if index < len(cells) else None


def _is_example(cells: list[Any], example: list[tuple[int, str]]) -> bool:
    """Whether the row is the template's example row, unchanged (stops at the first
    difference: this runs for every row)."""
    return all(normalize(as_text(_cell(cells, i))) == text for i, text in example)


def _example_key(
    spec: ImportSpec, ctx: ImportContext, mapping: dict[str, tuple[int, str]]
) -> list[tuple[int, str]] | None:
    """(cell index, normalised text) of the example row's cells, for the file's columns."""
    cells = dict(zip((c.name for c in spec.columns), spec.example_row(ctx), strict=True))
    if not any(not is_blank(cells[name]) for name in mapping):
        return None
    return [(index, normalize(as_text(cells[name]))) for name, (index, _h) in mapping.items()]


def _build_row(
    spec: ImportSpec,
    ctx: ImportContext,
    number: int,
    cells: list[Any],
    mapping: dict[str, tuple[int, str]],
    errors: list[RowError],
) -> list[Model] | None:
    """The row's instances, or ``None`` after adding its errors to ``errors``.

    A row whose cells do not all parse is still built (with those cells empty) and checked
    against the model, so that its other problems are reported in the same pass; only the
    errors of the other columns are kept then.
    """
    values: dict[str, Any] = {}
    failed: set[str] = set()
    for column in spec.columns:
        label = header_label(column, mapping)
        raw = _cell(cells, mapping[column.name][0]) if column.name in mapping else None
        if is_blank(raw):
            values[column.name] = None
            if column.required:
                errors.append(RowError(number, label, _("This cell is required.")))
                failed.add(label)
            continue
        try:
            values[column.name] = column.parser.parse(raw, ctx)
        except ValidationError as exc:
            values[column.name] = None
            errors.extend(RowError(number, label, str(m)) for m in exc.messages)
            failed.add(label)
    found: list[RowError] = []
    try:
        instances = spec.build(values, ctx)
    except ValidationError as exc:
        found.extend(_validation_errors(spec, exc, number, mapping, None))
        instances = []
    except Exception:
        if not failed:
            raise
        return None
    for instance in instances:
        try:
            instance.full_clean(
                exclude=spec.clean_exclude(instance),
                validate_unique=False,
                validate_constraints=False,
            )
        except ValidationError as exc:
            found.extend(_validation_errors(spec, exc, number, mapping, instance))
    if failed:
        found = [e for e in found if e.column and e.column not in failed]
    errors.extend(found)
    return None if failed or found or not instances else instances


def _validation_errors(
    spec: ImportSpec,
    exc: ValidationError,
    number: int,
    mapping: dict[str, tuple[int, str]],
    instance: Model | None,
) -> list[RowError]:
    columns = spec.field_column()
    if not hasattr(exc, "error_dict"):
        return [RowError(number, "", str(m)) for m in exc.messages]
    result: list[RowError] = []
    for field, field_errors in exc.error_dict.items():
        if field in columns:
            label = header_label(columns[field], mapping)
        elif field == NON_FIELD_ERRORS or instance is None:
            label = ""
        else:
            label = capfirst(str(getattr(instance._meta.get_field(field), "verbose_name", field)))
        for error in field_errors:
            result.extend(RowError(number, label, str(m)) for m in error.messages)
    return result


def unique_sets(model: type[Model]) -> list[tuple[str, ...]]:
    """Field names that must be unique together: unique fields, ``unique_together`` and
    unconditional ``UniqueConstraint``s. Generated codes (not editable) are left to the
    database."""
    sets: list[tuple[str, ...]] = []
    for field in model._meta.concrete_fields:
        if field.unique and not field.primary_key and field.editable:
            sets.append((field.name,))
    sets.extend(tuple(fields) for fields in model._meta.unique_together)
    for constraint in model._meta.constraints:
        if (
            isinstance(constraint, UniqueConstraint)
            and constraint.fields
            and constraint.condition is None
        ):
            sets.append(tuple(constraint.fields))
    return sets


def find_duplicates(
    spec: ImportSpec, built: list[Built], mapping: dict[str, tuple[int, str]]
) -> list[RowError]:
    """Rows that repeat an earlier row of the file or an existing object."""
    errors: list[RowError] = []
    columns = spec.field_column()
    positions = max((len(instances) for _n, instances in built), default=0)
    for position in range(positions):
        objs = [(n, inst[position]) for n, inst in built if len(inst) > position]
        if not objs:
            continue
        model = type(objs[0][1])
        meta = model._meta
        for names in unique_sets(model):
            fields = [_field(model, name) for name in names]
            described = [columns[name] for name in names if name in columns]
            column = " / ".join(header_label(c, mapping) for c in described)
            what = "、".join(str(f.verbose_name) for f in fields if f.name in columns) or "、".join(
                str(f.verbose_name) for f in fields
            )
            first_row: dict[tuple[Any, ...], int] = {}
            for number, obj in objs:
                key = tuple(getattr(obj, f.attname) for f in fields)
                if any(part is None or part == "" for part in key):
                    continue
                if key in first_row:
                    errors.append(
                        RowError(
                            number,
                            column,
                            _("Same %(fields)s as row %(row)s.")
                            % {"fields": what, "row": first_row[key]},
                        )
                    )
                else:
                    first_row[key] = number
            existing = _existing_keys(model, [f.attname for f in fields], list(first_row))
            for key in existing:
                errors.append(
                    RowError(
                        first_row[key],
                        column,
                        _("A %(model)s with the same %(fields)s already exists.")
                        % {"model": meta.verbose_name, "fields": what},
                    )
                )
    return errors


def _field(model: type[Model], name: str) -> Field[Any, Any]:
    field = model._meta.get_field(name)
    assert isinstance(field, Field)
    return field


def _existing_keys(
    model: type[Model], attnames: list[str], keys: list[tuple[Any, ...]]
) -> set[tuple[Any, ...]]:
    """Which of ``keys`` exist already, in chunks: each query asks for a superset (every
    field ``__in`` the chunk's values) and the exact keys are matched here."""
    found: set[tuple[Any, ...]] = set()
    chunk = max(1, QUERY_CHUNK // len(attnames))
    wanted = set(keys)
    for start in range(0, len(keys), chunk):
        part = keys[start : start + chunk]
        lookup = {f"{name}__in": {key[i] for key in part} for i, name in enumerate(attnames)}
        rows = model._base_manager.filter(**lookup).values_list(*attnames)
        found.update(tuple(row) for row in rows if tuple(row) in wanted)
    return found


def save(spec: ImportSpec, ctx: ImportContext, built: list[Built]) -> int:
    """Write every row in one transaction, in batches; returns the number of rows."""
    rows = [instances for _n, instances in built]
    remote_addr = audit._remote_addr.get()
    with transaction.atomic():
        for start in range(0, len(rows), spec.batch_size):
            batch = rows[start : start + spec.batch_size]
            spec.before_save(batch, ctx)
            positions = max(len(instances) for instances in batch)
            created: list[Model] = []
            for position in range(positions):
                objs = [inst[position] for inst in batch if len(inst) > position]
                if objs:
                    type(objs[0])._default_manager.bulk_create(objs)
                    created.extend(objs)
            AuditEntry.objects.bulk_create(audit_entries(created, ctx.actor, remote_addr))
    return len(rows)


def audit_entries(objs: Iterable[Model], actor: Any, remote_addr: str | None) -> list[AuditEntry]:
    """One "create" entry per object, as ``audit.record`` would write it."""
    user = actor if getattr(actor, "is_authenticated", False) else None
    actor_repr = (str(user) if user is not None else "system")[:150]
    entries = []
    for obj in objs:
        if not isinstance(obj, AuditedModel):
            continue
        entries.append(
            AuditEntry(
                actor=user,
                actor_repr=actor_repr,
                action=AuditEntry.Action.CREATE,
                content_type=ContentType.objects.get_for_model(obj, for_concrete_model=True),
                object_id=str(obj.pk),
                object_repr=str(obj)[:255],
                school_id=obj.audit_school_id(),
                changes=audit._diff(obj, created=True),
                remote_addr=remote_addr,
            )
        )
    return entries
