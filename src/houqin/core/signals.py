"""Signals other apps listen to (notifications, dashboards)."""

from django.dispatch import Signal

#: Sent after the commit of a ``core.workflow.transition``: sender=model class,
#: instance, from_status, to_status, actor, reason.
status_changed = Signal()
