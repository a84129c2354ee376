"""The standard URL set of a managed model: list, add, detail, edit, delete."""

from __future__ import annotations

from typing import Any

from django.urls import URLPattern, path


def crud_paths(
    prefix: str,
    name: str,
    list_view: Any,
    detail_view: Any,
    edit_view: Any,
    delete_view: Any,
    *,
    add: bool = True,
) -> list[URLPattern]:
    patterns = [
        path(f"{prefix}/", list_view.as_view(), name=f"{name}_list"),
        path(f"{prefix}/<int:pk>/", detail_view.as_view(), name=f"{name}_detail"),
        path(f"{prefix}/<int:pk>/edit/", edit_view.as_view(), name=f"{name}_edit"),
    ]
    if add:
        patterns.append(path(f"{prefix}/add/", edit_view.as_view(), name=f"{name}_add"))
    if delete_view is not None:
        patterns.append(
            path(f"{prefix}/<int:pk>/delete/", delete_view.as_view(), name=f"{name}_delete")
        )
    return patterns
