"""Approval adapters of the store: stock count adjustments (and requisitions)."""

from . import approval_requisitions  # noqa: F401 - binds the requisition request type
