"""待建卡 pages for the asset keeper: accepted assets waiting for their card, one of them, and
the form that places it (category, room, custodian, department) and registers the card."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from houqin.core.scoping import has_perm_in_school
from houqin.core.views import ObjectDetailView, ObjectListView, ScopedViewMixin
from houqin.core.views.generic import optional_url

from ..choices import IntakeStatus
from ..filters_requests import AssetIntakeFilter
from ..forms_requests import PlaceForm
from ..models import AssetIntake
from ..services.intake import PLACE, IntakeError, asset_intake_place
from ..tables_requests import AssetIntakeTable

RELATED = ("department", "asset", "acceptance_line__acceptance")


def waiting_count(user: Any) -> int:
    """The menu badge: accepted assets waiting for a card, for those who place them."""
    if not getattr(user, "is_authenticated", False):
        return 0
    return AssetIntake.objects.visible_to(user, PLACE).filter(status=IntakeStatus.WAITING).count()


class IntakeListView(ObjectListView):
    model = AssetIntake
    table_class = AssetIntakeTable
    filterset_class = AssetIntakeFilter
    search_fields = ("name", "specification", "supplier_name")
    default_sort = "-status"

    def base_queryset(self) -> QuerySet[Any]:
        return AssetIntake.objects.select_related(*RELATED)

    def add_url(self) -> str | None:
        return None

    def import_url(self) -> str | None:
        return None


class IntakeDetailView(ObjectDetailView):
    model = AssetIntake
    template_name = "procurement/intake_detail.html"
    detail_fields = (
        "name",
        "specification",
        "unit",
        "quantity",
        "unit_price",
        "supplier_name",
        "department",
        "received_on",
        "status",
    )
    show_attachments = False

    def base_queryset(self) -> QuerySet[Any]:
        return AssetIntake.objects.select_related(*RELATED)

    def actions(self, obj: Any) -> list[dict[str, Any]]:
        if obj.status == IntakeStatus.WAITING and has_perm_in_school(
            self.request.user, PLACE, obj.school_id
        ):
            return [
                {
                    "label": _("Register the asset card"),
                    "url": reverse("procurement:intake_place", args=[obj.pk]),
                    "style": "primary",
                }
            ]
        return []

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = super().get(request, *args, **kwargs)
        context = response.context_data  # type: ignore[attr-defined]
        obj: AssetIntake = context["object"]
        acceptance = obj.acceptance_line.acceptance
        context["acceptance"] = acceptance
        context["acceptance_url"] = optional_url("procurement:acceptance_detail", acceptance.pk)
        context["amount"] = obj.unit_price * obj.quantity
        return response


class IntakePlaceView(ScopedViewMixin, View):
    model = AssetIntake
    permission_required = PLACE
    template_name = "procurement/intake_place.html"

    def get_object(self) -> AssetIntake:
        obj: AssetIntake = get_object_or_404(
            self.get_queryset().select_related(*RELATED), pk=self.kwargs["pk"]
        )
        return obj

    def render(self, form: PlaceForm, obj: AssetIntake, status: int = 200) -> HttpResponse:
        context = {
            "form": form,
            "object": obj,
            "title": _("Register the asset card"),
            "cancel_url": obj.get_absolute_url(),
            "breadcrumbs": [
                (_("assets to register"), reverse("procurement:intake_list")),
                (str(obj), obj.get_absolute_url()),
                (_("Register the asset card"), None),
            ],
        }
        return TemplateResponse(self.request, self.template_name, context, status=status)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        obj = self.get_object()
        if obj.status != IntakeStatus.WAITING:
            messages.info(request, _("This item already has its asset card."))
            return HttpResponseRedirect(obj.get_absolute_url())
        initial = {"department": obj.department_id, "purchase_date": obj.received_on}
        return self.render(PlaceForm(initial=initial, school_id=obj.school_id), obj)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        obj = self.get_object()
        form = PlaceForm(request.POST, school_id=obj.school_id)
        if not form.is_valid():
            return self.render(form, obj, status=422)
        data = form.cleaned_data
        try:
            placed = asset_intake_place(
                actor=request.user,
                intake=obj,
                category=data["category"],
                room=data.get("room"),
                custodian=data.get("custodian"),
                department=data.get("department"),
                funding_source=data["funding_source"],
                purchase_date=data.get("purchase_date"),
                life_months=data.get("life_months"),
                notes=data.get("notes", ""),
            )
        except IntakeError as exc:
            form.add_error(None, str(exc))
            return self.render(form, obj, status=422)
        asset = placed.asset
        assert asset is not None  # set by the service
        messages.success(request, _("Asset card %(code)s registered.") % {"code": asset.code})
        return HttpResponseRedirect(asset.get_absolute_url())
