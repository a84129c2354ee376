"""One helper for every status workflow: lock, check, move, record, announce.

A model declares ``TRANSITIONS = {from_status: {to_status: permission or None}}``. The
helper refuses any move not in the table with an error (never a silent no-op), checks the
permission of the edge in the object's school, saves, writes a ``StatusChange`` row and
sends ``status_changed`` after the commit.
"""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils.translation import gettext as _

from .audit import acting_as
from .models import StatusChange
from .scoping import has_perm_in_school
from .signals import status_changed


class TransitionError(Exception):
    """An illegal or forbidden move; the message is meant for the user."""


def allowed_targets(obj: Any, field: str = "status") -> dict[str, str | None]:
    table: dict[str, dict[str, str | None]] = type(obj).TRANSITIONS
    return table.get(getattr(obj, field), {})


def _label(obj: Any, field: str, value: str) -> str:
    choices = dict(type(obj)._meta.get_field(field).flatchoices)
    return str(choices.get(value, value))


@transaction.atomic
def transition(
    obj: Any,
    to: str,
    *,
    actor: Any,
    reason: str = "",
    field: str = "status",
    check_permission: bool = True,
    update: dict[str, Any] | None = None,
) -> Any:
    """Move ``obj`` to ``to``. Returns the locked, updated instance."""
    model = type(obj)
    locked = model._default_manager.select_for_update().get(pk=obj.pk)
    current = getattr(locked, field)
    edges: dict[str, str | None] = model.TRANSITIONS.get(current, {})
    if to not in edges:
        raise TransitionError(
            _("%(object)s cannot go from “%(from)s” to “%(to)s”.")
            % {
                "object": locked,
                "from": _label(locked, field, current),
                "to": _label(locked, field, to),
            }
        )
    perm = edges[to]
    school_id = getattr(locked, "school_id", None)
    if check_permission and perm and not has_perm_in_school(actor, perm, school_id):
        raise TransitionError(_("You may not do this."))
    setattr(locked, field, to)
    for name, value in (update or {}).items():
        setattr(locked, name, value)
    with acting_as(actor):
        locked.save()
    StatusChange.objects.create(
        content_type=ContentType.objects.get_for_model(model),
        object_id=str(locked.pk),
        school_id=school_id,
        field=field,
        from_status=current,
        to_status=to,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        reason=reason,
    )
    transaction.on_commit(
        lambda: status_changed.send(
            sender=model,
            instance=locked,
            from_status=current,
            to_status=to,
            actor=actor,
            reason=reason,
        )
    )
    setattr(obj, field, to)
    for name, value in (update or {}).items():
        setattr(obj, name, value)
    return locked


def history(obj: Any) -> list[StatusChange]:
    return list(
        StatusChange.objects.filter(
            content_type=ContentType.objects.get_for_model(type(obj)), object_id=str(obj.pk)
        ).select_related("actor")
    )
