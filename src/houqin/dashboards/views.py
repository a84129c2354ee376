"""The landing dashboard: real figures of what the user's role can see."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.views import View

from houqin.accounts import selectors as people
from houqin.accounts.selectors import user_roles
from houqin.core.schools import active_school_id
from houqin.core.scoping import school_ids
from houqin.org import selectors as org
from houqin.org.choices import RoomUse


class HomeView(LoginRequiredMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        active = active_school_id(request)
        visible = school_ids(user)
        scope = [active] if active is not None else visible
        context: dict[str, Any] = {
            "figures": org.school_figures(scope),
            "my_roles": user_roles(user),  # type: ignore[arg-type]
            "term": org.current_term(active) if active is not None else None,
            "multi_school": len(visible) > 1,
        }
        if user.has_perm("accounts.view_membership"):
            context["people"] = people.people_by_role(scope)
            context["people_total"] = people.people_count(scope)
        if user.has_perm("org.view_room"):
            labels = dict(RoomUse.choices)
            context["rooms_by_use"] = [
                {**row, "label": labels.get(row["use"], row["use"])}
                for row in org.rooms_by_use(scope)
            ]
        if user.has_perm("org.change_building") or user.has_perm("org.change_school"):
            context["attention"] = org.buildings_needing_attention(scope)
        if user.has_perm("assets.view_asset_reports") or user.has_perm("assets.change_asset"):
            from houqin.assets.dashboard import asset_figures

            context["asset_figures"] = asset_figures(scope)
        if user.has_perm("maintenance.view_maintenance_reports") or user.has_perm(
            "maintenance.dispatch_workorder"
        ):
            from houqin.maintenance.dashboard import maintenance_figures

            context["maintenance_figures"] = maintenance_figures(scope)
        from .supplies import supplies_figures
        from .views_savings import can_see_savings

        context["supplies_figures"] = supplies_figures(user, scope)
        context["can_see_savings"] = can_see_savings(user)
        if len(visible) > 1 and user.has_perm("org.view_school"):
            context["schools"] = org.per_school_figures(visible)
        return TemplateResponse(request, "dashboards/home.html", context)
