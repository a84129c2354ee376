"""Holiday campaign pages: list, add and edit (rooms by building), detail with progress by
building (bars and an ECharts chart) and the POST actions launch / close."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.staticfiles import finders
from django.db.models import Count, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from houqin.core.scoping import has_perm_in_school
from houqin.core.views import (
    ObjectActionView,
    ObjectDetailView,
    ObjectEditView,
    ObjectListView,
    ScopedViewMixin,
)

from ..choices import CampaignStatus
from ..filters_plans import CampaignFilter
from ..forms_plans import CampaignCloseForm, CampaignForm
from ..models import Campaign, WorkOrder
from ..services import campaigns as services
from ..services.orders import WorkOrderError
from ..tables_plans import CampaignTable

C = CampaignStatus
CHANGE = "maintenance.change_campaign"
ECHARTS = "vendor/echarts/echarts.min.js"


def crumbs(*tail: tuple[Any, str | None]) -> list[tuple[Any, str | None]]:
    return [(Campaign._meta.verbose_name_plural, reverse("maintenance:campaign_list")), *tail]


def orders_url(campaign: Campaign) -> str | None:
    try:
        return f"{reverse('maintenance:workorder_list')}?campaign={campaign.pk}"
    except NoReverseMatch:
        return None


class CampaignMixin(ScopedViewMixin):
    model = Campaign

    def base_queryset(self) -> QuerySet[Any]:
        return Campaign.objects.select_related("category", "school")


class CampaignListView(CampaignMixin, ObjectListView):
    table_class = CampaignTable
    filterset_class = CampaignFilter
    search_fields = ("name", "title")
    default_sort = "-start_date"

    def get_queryset(self) -> QuerySet[Any]:
        queryset: QuerySet[Any] = super().get_queryset()
        annotated: QuerySet[Any] = queryset.annotate(room_count=Count("rooms"))
        return annotated

    def add_url(self) -> str | None:
        return reverse("maintenance:campaign_add") if self.allowed_add() else None


class CampaignDetailView(CampaignMixin, ObjectDetailView):
    template_name = "maintenance/campaign_detail.html"
    show_attachments = False
    detail_fields = (
        "status",
        "category",
        "title",
        "start_date",
        "end_date",
        "description",
        "launched_at",
        "school",
    )

    def actions(self, obj: Any) -> list[dict[str, Any]]:
        if obj.status != C.DRAFT or not has_perm_in_school(
            self.request.user, CHANGE, obj.school_id
        ):
            return []
        url = reverse("maintenance:campaign_edit", args=[obj.pk])
        return [{"label": _("Edit"), "url": url, "style": "primary"}]

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = super().get(request, *args, **kwargs)
        context = response.context_data  # type: ignore[attr-defined]
        campaign: Campaign = context["object"]
        context["breadcrumbs"] = crumbs((str(campaign), None))
        if context["tab"] != "history":
            context.update(campaign_context(request, campaign))
        return response


def campaign_context(
    request: HttpRequest, campaign: Campaign, close_form: Any = None
) -> dict[str, Any]:
    progress = services.campaign_progress(campaign)
    may_change = has_perm_in_school(request.user, CHANGE, campaign.school_id)
    orders = (
        WorkOrder.objects.filter(campaign=campaign)
        .select_related("room__building", "assignee")
        .order_by("building__name", "room__floor", "room__number", "pk")[:20]
    )
    return {
        "progress": progress,
        "chart": services.chart_data(progress),
        "has_echarts": bool(progress["buildings"]) and finders.find(ECHARTS) is not None,
        "orders": list(orders),
        "orders_url": orders_url(campaign),
        "checklist": campaign.checklist,
        "can_launch": may_change and campaign.status == C.DRAFT,
        "can_close": may_change and campaign.status == C.ACTIVE,
        "close_form": close_form or CampaignCloseForm(),
    }


class CampaignEditView(CampaignMixin, ObjectEditView):
    form_class = CampaignForm
    unscoped_choice_fields = ("category",)
    template_name = "maintenance/campaign_edit.html"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        refused = self.refuse()
        return refused or super().get(request, *args, **kwargs)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        refused = self.refuse()
        return refused or super().post(request, *args, **kwargs)

    def refuse(self) -> HttpResponse | None:
        obj = self.get_object()
        if obj is not None and obj.status != C.DRAFT:
            messages.error(self.request, _("A launched campaign cannot be changed."))
            return HttpResponseRedirect(obj.get_absolute_url())
        return None

    def render(self, form: Any, obj: Any) -> HttpResponse:
        response = super().render(form, obj)
        context = response.context_data  # type: ignore[attr-defined]
        tail: list[tuple[Any, str | None]] = []
        if obj is not None:
            tail.append((str(obj), obj.get_absolute_url()))
        tail.append((_("Add") if obj is None else _("Edit"), None))
        context["breadcrumbs"] = crumbs(*tail)
        context["cancel_url"] = (
            obj.get_absolute_url() if obj else reverse("maintenance:campaign_list")
        )
        rooms = form.fields["rooms"].queryset.filter(is_active=True)
        context["room_map"] = {
            "rooms": {str(pk): building for pk, building in rooms.values_list("pk", "building_id")},
        }
        context["room_count"] = len(obj.rooms.all()) if obj is not None else 0
        return response


class CampaignActionView(CampaignMixin, ObjectActionView):
    """POST launch (one order per room) and close (optionally forcing open orders)."""

    permission_required = CHANGE
    refusals = (services.CampaignError, WorkOrderError)

    def do_launch(self, request: HttpRequest, campaign: Campaign) -> str:
        count = services.campaign_launch(actor=request.user, campaign=campaign)
        return _("The campaign is under way: %(count)s work orders were created.") % {
            "count": count
        }

    def do_close(self, request: HttpRequest, campaign: Campaign) -> str:
        form = CampaignCloseForm(request.POST)
        form.is_valid()
        data = form.cleaned_data
        cancelled = services.campaign_close(
            actor=request.user,
            campaign=campaign,
            force=bool(data.get("force")),
            reason=data.get("reason", ""),
        )
        message = _("The campaign is closed.")
        if cancelled:
            message += " " + _("%(count)s open orders were cancelled.") % {"count": cancelled}
        return message
