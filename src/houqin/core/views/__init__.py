from .actions import ObjectActionView
from .generic import ObjectDeleteView, ObjectDetailView, ObjectEditView, ObjectListView
from .mixins import ScopedViewMixin

__all__ = [
    "ObjectActionView",
    "ObjectDeleteView",
    "ObjectDetailView",
    "ObjectEditView",
    "ObjectListView",
    "ScopedViewMixin",
]
