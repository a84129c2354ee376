"""``/api/v1/repair-requests/``: members see the requests they reported, holders of
``view_repairrequest`` those of their schools; members report repairs (staff channel,
through ``services.requests.repair_request_submit``) and the director triages portal
requests (``repair_request_triage``)."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, mixins, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from houqin.api.views.base import ScopedViewSet, acting
from houqin.core.filters import ScopedFilterSet, YesNoFilter
from houqin.core.scoping import school_ids
from houqin.org.models import Building, Room

from ..choices import Channel, RequestStatus, Urgency
from ..models import RepairCategory, RepairRequest
from ..services import requests as services
from ..services.orders import open_duplicates
from . import serializers_requests as s
from .common import (
    ERRORS,
    REPORT,
    TRIAGE,
    UPLOAD_PARSERS,
    VIEW_REQUESTS,
    HoldsAnyPermission,
    plain_data,
    refused,
)

REFUSALS: tuple[type[Exception], ...] = (services.RequestError, *ERRORS)


def requests_reachable(user: Any, perm: str | None = None) -> QuerySet[RepairRequest]:
    """With ``perm``: the requests of the schools where the user holds it. Without: those
    of the schools where they hold ``view_repairrequest``, plus the ones they reported."""
    if perm is not None:
        return RepairRequest.objects.visible_to(user, perm)
    seen = Q(school_id__in=school_ids(user, VIEW_REQUESTS))
    own = Q(school_id__in=school_ids(user), reporter_id=user.pk)
    return RepairRequest.objects.filter(seen | own)


class RepairRequestFilter(ScopedFilterSet):
    status = django_filters.ChoiceFilter(
        choices=RequestStatus.choices, label=gettext_lazy("status")
    )
    channel = django_filters.ChoiceFilter(choices=Channel.choices, label=gettext_lazy("channel"))
    urgency = django_filters.ChoiceFilter(choices=Urgency.choices, label=gettext_lazy("urgency"))
    category = django_filters.ModelChoiceFilter(
        queryset=RepairCategory.objects.all(), label=gettext_lazy("category")
    )
    building = django_filters.ModelChoiceFilter(
        field_name="room__building", queryset=Building.objects.all(), label=gettext_lazy("building")
    )
    room = django_filters.ModelChoiceFilter(queryset=Room.objects.all(), label=gettext_lazy("room"))
    mine = YesNoFilter(label=gettext_lazy("reported by me"), method="filter_mine")

    class Meta:
        model = RepairRequest
        fields = ["status", "channel", "urgency", "category", "building", "room", "mine"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.form.fields["category"].queryset = RepairCategory.objects.all()

    def filter_mine(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        user_id = getattr(getattr(self.request, "user", None), "pk", None)
        if value == "1":
            return queryset.filter(reporter_id=user_id)
        if value == "0":
            return queryset.exclude(reporter_id=user_id)
        return queryset


class RepairRequestViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    queryset = RepairRequest.objects.all()
    permission_classes = [HoldsAnyPermission]
    parser_classes = UPLOAD_PARSERS  # photos come with a new request as multipart
    serializer_class = s.RepairRequestSerializer
    filterset_class = RepairRequestFilter
    search_fields = ("number", "reporter_name", "description")
    ordering_fields = ("created_at", "number", "status", "urgency")
    ordering = ("-created_at",)
    http_method_names = ["get", "post", "head"]

    def required_permissions(self) -> tuple[str, ...]:
        if self.action in ("create", "duplicates"):
            return (REPORT,)
        if self.action == "triage":
            return (TRIAGE,)
        return (VIEW_REQUESTS, REPORT)

    def get_queryset(self) -> QuerySet[Any]:
        user = self.request.user
        perm = TRIAGE if self.action == "triage" else None
        return requests_reachable(user, perm).select_related(
            "category", "room__building", "work_order"
        )

    def get_serializer_class(self) -> Any:
        if self.action == "create":
            return s.RepairRequestCreateSerializer
        if self.action == "triage":
            return s.TriageSerializer
        if self.action == "duplicates":
            return s.DuplicateListSerializer
        return s.RepairRequestSerializer

    def _detail(self, pk: int, code: int = status.HTTP_200_OK) -> Response:
        found = RepairRequest.objects.select_related("category", "room__building", "work_order")
        body = s.RepairRequestSerializer(found.get(pk=pk), context=self.get_serializer_context())
        return Response(body.data, status=code)

    @extend_schema(
        request={
            "application/json": s.RepairRequestCreateSerializer,
            "multipart/form-data": s.RepairRequestCreateSerializer,
        },
        responses={201: s.RepairRequestSerializer},
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Report a repair: the work order is opened and dispatched by the school's rules,
        or the request joins ``join_order``."""
        payload = s.RepairRequestCreateSerializer(
            data=plain_data(request), context={"request": request}
        )
        payload.is_valid(raise_exception=True)
        data = dict(payload.validated_data)
        school = data.pop("school", None)
        place = data.get("room") or data.get("asset")
        school_id = school.pk if school else getattr(place, "school_id", None)
        if school_id is None:
            allowed = school_ids(request.user, REPORT)
            if len(allowed) != 1:
                raise exceptions.ValidationError({"room": [_("Choose the room.")]})
            school_id = allowed[0]
        try:
            with acting(request):
                saved = services.repair_request_submit(
                    actor=request.user,
                    school_id=school_id,
                    room=data.get("room"),
                    category=data["category"],
                    description=data["description"],
                    urgency=data["urgency"],
                    asset=data.get("asset"),
                    reporter_name=data.get("reporter_name", ""),
                    reporter_unit=data.get("reporter_unit", ""),
                    phone=data.get("phone", ""),
                    photos=data.get("photos", ()),
                    channel=Channel.STAFF,
                    source_address=request.META.get("REMOTE_ADDR"),
                    join_order=data.get("join_order"),
                )
        except REFUSALS as exc:
            raise refused(exc) from exc
        return self._detail(saved.pk, status.HTTP_201_CREATED)

    @extend_schema(
        parameters=[s.DuplicateQuerySerializer],
        responses=s.DuplicateListSerializer,
        filters=False,
    )
    @action(detail=False, filter_backends=[], pagination_class=None)
    def duplicates(self, request: Request) -> Response:
        """Before reporting: the open work orders for the same ``room`` and ``category``
        (已有人报修), which a new request can join (``join_order``) instead. Without a room
        and a category the list is empty."""
        query = s.DuplicateQuerySerializer(data=request.query_params, context={"request": request})
        query.is_valid(raise_exception=True)
        room, kind = query.validated_data.get("room"), query.validated_data.get("category")
        found = []
        if room is not None and kind is not None:
            found = open_duplicates(school_id=room.school_id, room_id=room.pk, category_id=kind.pk)
        body = s.DuplicateListSerializer({"count": len(found), "results": found})
        return Response(body.data)

    @extend_schema(request=s.TriageSerializer, responses=s.RepairRequestSerializer)
    @action(detail=True, methods=["post"])
    def triage(self, request: Request, pk: str | None = None) -> Response:
        """The director's decision on a portal request: ``accept`` (the order is opened and
        dispatched), ``reject`` with a reason, or ``join`` an open ``order``."""
        repair = self.get_object()
        payload = s.TriageSerializer(data=request.data, context={"request": request})
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        try:
            with acting(request):
                services.repair_request_triage(
                    actor=request.user,
                    request=repair,
                    decision=data["decision"],
                    reason=data.get("reason", ""),
                    order=data.get("order"),
                )
        except REFUSALS as exc:
            raise refused(exc) from exc
        return self._detail(repair.pk)


# (prefix, viewset, basename) registered under /api/v1/.
ROUTES: list[tuple[str, Any, str]] = [("repair-requests", RepairRequestViewSet, "repairrequest")]
