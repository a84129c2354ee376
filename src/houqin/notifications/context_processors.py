from __future__ import annotations

from functools import cached_property
from typing import Any

from django.http import HttpRequest


class UnreadBadge:
    """The bell's count, queried once and only when a page shows it."""

    def __init__(self, user: Any) -> None:
        self.user = user

    @cached_property
    def count(self) -> int:
        from .services import unread_count

        return unread_count(self.user)

    @property
    def text(self) -> str:
        return "99+" if self.count > 99 else str(self.count)


def unread(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"notifications_badge": UnreadBadge(user)}
