from .generic import ObjectDeleteView, ObjectDetailView, ObjectEditView, ObjectListView
from .mixins import ScopedViewMixin

__all__ = [
    "ObjectDeleteView",
    "ObjectDetailView",
    "ObjectEditView",
    "ObjectListView",
    "ScopedViewMixin",
]
