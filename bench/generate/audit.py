"""The audit trail in proportion: a creation entry for every audited business row, and a
change entry for a tenth of the longest-lived ones (assets, work orders, purchase orders).

Written with ``INSERT … SELECT`` from the tables themselves, after every other part ran.
"""

from __future__ import annotations

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import connection

from houqin.core.models import AuditedModel, AuditEntry

from .base import Ctx

# Models too plentiful or too internal to audit row by row in the generated history.
SKIP = {"accounts.Role", "org.District", "core.Attachment", "core.Comment"}
CHANGED = {
    "assets.Asset",
    "maintenance.WorkOrder",
    "procurement.PurchaseOrder",
    "finance.BudgetLine",
}


def generate(ctx: Ctx) -> None:
    made = 0
    with connection.cursor() as cursor:
        for model in apps.get_models():
            label = model._meta.label
            if not issubclass(model, AuditedModel) or label in SKIP:
                continue
            columns = {f.attname for f in model._meta.concrete_fields}
            if "school_id" not in columns or "created_at" not in columns:
                continue
            ct = ContentType.objects.get_for_model(model).pk
            table = model._meta.db_table
            text = "CAST(id AS TEXT)"
            repr_sql = f"'{model._meta.verbose_name} #' || {text}"
            cursor.execute(
                f"""INSERT INTO core_auditentry
                    (created_at, actor_id, actor_repr, action, content_type_id, object_id,
                     object_repr, school_id, changes, remote_addr)
                    SELECT created_at, NULL, '', 'create', %s, {text}, {repr_sql},
                           school_id, %s, NULL
                    FROM "{table}" """,
                [ct, "{}"],
            )
            made += cursor.rowcount
            if label in CHANGED:
                cursor.execute(
                    f"""INSERT INTO core_auditentry
                        (created_at, actor_id, actor_repr, action, content_type_id, object_id,
                         object_repr, school_id, changes, remote_addr)
                        SELECT updated_at, NULL, '', 'update', %s, {text}, {repr_sql},
                               school_id, %s, NULL
                        FROM "{table}" WHERE id %% 10 = 0""",
                    [ct, '{"notes": ["", "核对"]}'],
                )
                made += cursor.rowcount
    ctx.counts["core.AuditEntry"] = ctx.counts.get("core.AuditEntry", 0) + made
    ctx.forget_ids(AuditEntry)
