"""``/api/v1/work-orders/``: list (filtered, paged), retrieve (clock, parts, linked
requests), the office's new order, and one POST action per step of the order's life, each
calling one service of ``services.orders`` / ``services.closing``.

Who reaches an order: holders of ``view_workorder`` see their schools' orders; a requester
(or the reporter of a joined request) reaches their own order to follow, verify, rate or
cancel it, without seeing anybody else's.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import django_filters
from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, mixins, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from houqin.accounts.models import User
from houqin.api.views.base import ScopedViewSet, acting
from houqin.core.filters import ScopedFilterSet, YesNoFilter
from houqin.core.scoping import has_perm_in_school, school_ids
from houqin.org.models import Building, Room

from ..choices import OPEN_STATUSES, OrderSource, OrderStatus, Urgency
from ..models import MaintenanceTeam, RepairCategory, RepairRequest, WorkOrder, WorkOrderPart
from ..services import closing, orders
from . import serializers_orders as s
from .common import (
    ADD_ORDERS,
    DISPATCH,
    ERRORS,
    REPORT,
    UPLOAD_PARSERS,
    VIEW_ORDERS,
    WORK,
    HoldsAnyPermission,
    plain_data,
    refused,
)

#: What each action needs (any one of them, in some school).
PERMISSIONS: dict[str, tuple[str, ...]] = {
    "list": (VIEW_ORDERS,),
    "create": (ADD_ORDERS,),
    "assign": (DISPATCH,),
    "accept": (WORK,),
    "start": (WORK,),
    "hold": (WORK,),
    "return_": (WORK,),
    "finish": (WORK,),
}
#: Actions a requester may reach on their own order (the services say whether they may).
FOLLOWER_ACTIONS = ("retrieve", "verify", "rate", "cancel")


def followed_by(user: Any) -> Q:
    """Orders ``user`` asked for, or joined through a repair request."""
    joined = RepairRequest.objects.filter(reporter_id=user.pk, work_order__isnull=False)
    return Q(requester_id=user.pk) | Q(pk__in=joined.values("work_order_id"))


def work_orders_reachable(user: Any, perm: str | None) -> QuerySet[WorkOrder]:
    """With ``perm``: the orders of the schools where the user holds it. Without: those of
    the schools where they hold ``view_workorder``, plus their own in their other schools."""
    if perm is not None:
        return WorkOrder.objects.visible_to(user, perm)
    seen = Q(school_id__in=school_ids(user, VIEW_ORDERS))
    own = Q(school_id__in=school_ids(user)) & followed_by(user)
    return WorkOrder.objects.filter(seen | own)


class WorkOrderFilter(ScopedFilterSet):
    status = django_filters.ChoiceFilter(choices=OrderStatus.choices, label=gettext_lazy("status"))
    urgency = django_filters.ChoiceFilter(choices=Urgency.choices, label=gettext_lazy("urgency"))
    source = django_filters.ChoiceFilter(choices=OrderSource.choices, label=gettext_lazy("source"))
    category = django_filters.ModelChoiceFilter(
        queryset=RepairCategory.objects.all(), label=gettext_lazy("category")
    )
    building = django_filters.ModelChoiceFilter(
        queryset=Building.objects.all(), label=gettext_lazy("building")
    )
    room = django_filters.ModelChoiceFilter(queryset=Room.objects.all(), label=gettext_lazy("room"))
    assignee = django_filters.ModelChoiceFilter(
        queryset=User.objects.all(), label=gettext_lazy("worker")
    )
    team = django_filters.ModelChoiceFilter(
        queryset=MaintenanceTeam.objects.all(), label=gettext_lazy("team")
    )
    overdue = YesNoFilter(label=gettext_lazy("overdue"), method="filter_overdue")
    mine = YesNoFilter(label=gettext_lazy("mine (my team's too)"), method="filter_mine")
    reported_after = django_filters.DateFilter(
        field_name="reported_at", lookup_expr="date__gte", label=gettext_lazy("reported from")
    )
    reported_before = django_filters.DateFilter(
        field_name="reported_at", lookup_expr="date__lte", label=gettext_lazy("reported until")
    )

    class Meta:
        model = WorkOrder
        fields = [
            "status",
            "urgency",
            "source",
            "category",
            "building",
            "room",
            "assignee",
            "team",
            "overdue",
            "mine",
            "reported_after",
            "reported_before",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Repair categories are shared by every school.
        self.form.fields["category"].queryset = RepairCategory.objects.all()

    def filter_overdue(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        if value not in ("0", "1"):
            return queryset
        now = timezone.now()
        late = Q(status__in=[st for st in OPEN_STATUSES if st != OrderStatus.ON_HOLD]) & (
            Q(resolve_due__lt=now) | Q(accepted_at__isnull=True, respond_due__lt=now)
        )
        return queryset.filter(late) if value == "1" else queryset.exclude(late)

    def filter_mine(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        user_id = getattr(getattr(self.request, "user", None), "pk", None)
        if value not in ("0", "1") or user_id is None:
            return queryset
        teams = MaintenanceTeam.objects.filter(Q(leader_id=user_id) | Q(members=user_id))
        own = Q(assignee_id=user_id) | Q(team_id__in=teams.values("pk"))
        return queryset.filter(own) if value == "1" else queryset.exclude(own)


def with_details(queryset: QuerySet[WorkOrder]) -> QuerySet[WorkOrder]:
    return queryset.select_related(
        "category", "room__building", "building", "assignee", "team", "requester", "repeat_of"
    ).prefetch_related(
        Prefetch("parts", queryset=WorkOrderPart.objects.order_by("pk"), to_attr="api_parts"),
        Prefetch("requests", queryset=RepairRequest.objects.order_by("pk"), to_attr="api_requests"),
    )


class WorkOrderViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, ScopedViewSet
):
    queryset = WorkOrder.objects.all()
    permission_classes = [HoldsAnyPermission]
    serializer_class = s.WorkOrderSerializer
    filterset_class = WorkOrderFilter
    search_fields = ("number", "title", "room__number")
    ordering_fields = ("reported_at", "number", "urgency", "status", "respond_due", "resolve_due")
    ordering = ("-reported_at",)
    http_method_names = ["get", "post", "head"]

    def required_permissions(self) -> tuple[str, ...]:
        name = self.action or ""
        if name in FOLLOWER_ACTIONS:
            return (VIEW_ORDERS, REPORT)
        return PERMISSIONS.get(name, (VIEW_ORDERS,))

    def required_permission(self) -> str:
        return self.required_permissions()[0]

    def get_queryset(self) -> QuerySet[Any]:
        user = self.request.user
        if self.action in FOLLOWER_ACTIONS:
            return with_details(work_orders_reachable(user, None))
        queryset = work_orders_reachable(user, self.required_permission())
        if self.action == "list":
            return queryset.select_related(
                "category", "room__building", "building", "assignee", "team"
            )
        return with_details(queryset)

    def get_serializer_class(self) -> Any:
        if self.action == "retrieve":
            return s.WorkOrderDetailSerializer
        if self.action == "create":
            return s.WorkOrderCreateSerializer
        return s.WorkOrderSerializer

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), "now": timezone.now()}

    def _detail(self, pk: int, created: bool = False) -> Response:
        order = with_details(WorkOrder.objects.all()).get(pk=pk)
        body = s.WorkOrderDetailSerializer(order, context=self.get_serializer_context()).data
        return Response(body, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)

    @extend_schema(request=s.WorkOrderCreateSerializer, responses=s.WorkOrderDetailSerializer)
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Enter an order directly (not from a repair request): dispatched by the rules, or to
        the worker or team given (which needs the dispatch permission)."""
        payload = s.WorkOrderCreateSerializer(data=request.data, context={"request": request})
        payload.is_valid(raise_exception=True)
        data = dict(payload.validated_data)
        school = data.pop("school", None)
        place = data.get("room") or data.get("asset")
        school_id = school.pk if school else getattr(place, "school_id", None)
        if school_id is None:
            allowed = school_ids(request.user, ADD_ORDERS)
            if len(allowed) != 1:
                raise exceptions.ValidationError({"school": [_("Choose the school.")]})
            school_id = allowed[0]
        team, assignee = data.get("team"), data.get("assignee")
        if (team or assignee) and not has_perm_in_school(request.user, DISPATCH, school_id):
            raise exceptions.ValidationError(
                {"assignee": [_("You may not dispatch orders; leave the worker empty.")]}
            )
        if team is not None and team.school_id != school_id:
            raise exceptions.ValidationError({"team": [_("The team belongs to another school.")]})
        try:
            with acting(request):
                order = orders.work_order_open(
                    actor=request.user,
                    school_id=school_id,
                    source=OrderSource.DIRECT,
                    checklist=data.pop("checklist", ()),
                    **data,
                )
        except ERRORS as exc:
            raise refused(exc) from exc
        return self._detail(order.pk, created=True)

    def _act(
        self,
        request: Request,
        payload_class: Any,
        work: Callable[[WorkOrder, dict[str, Any]], Any],
        json_fields: tuple[str, ...] = (),
    ) -> Response:
        order = self.get_object()
        data: dict[str, Any] = {}
        if payload_class is not None:
            payload = payload_class(
                data=plain_data(request, json_fields), context=self.get_serializer_context()
            )
            payload.is_valid(raise_exception=True)
            data = dict(payload.validated_data)
        try:
            with acting(request):
                work(order, data)
        except ERRORS as exc:
            raise refused(exc) from exc
        return self._detail(order.pk)

    @extend_schema(request=s.AssignSerializer, responses=s.WorkOrderDetailSerializer)
    @action(detail=True, methods=["post"])
    def assign(self, request: Request, pk: str | None = None) -> Response:
        """Dispatch or re-dispatch to a worker and/or a team (a team alone goes to its leader)."""
        return self._act(
            request,
            s.AssignSerializer,
            lambda order, data: orders.work_order_assign(
                actor=request.user,
                order=order,
                assignee=data.get("assignee"),
                team=data.get("team"),
                reason=data.get("reason", ""),
            ),
        )

    @extend_schema(request=None, responses=s.WorkOrderDetailSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request: Request, pk: str | None = None) -> Response:
        """The worker takes the order (接单): the response clock stops."""
        return self._act(
            request,
            None,
            lambda order, data: orders.work_order_accept(actor=request.user, order=order),
        )

    @extend_schema(
        request={"application/json": s.StartSerializer, "multipart/form-data": s.StartSerializer},
        responses=s.WorkOrderDetailSerializer,
    )
    @action(detail=True, methods=["post"], parser_classes=UPLOAD_PARSERS)
    def start(self, request: Request, pk: str | None = None) -> Response:
        """Start or resume the repair, with optional “before” photos (multipart)."""
        return self._act(
            request,
            s.StartSerializer,
            lambda order, data: orders.work_order_start(
                actor=request.user, order=order, photos=data.get("photos", ())
            ),
        )

    @extend_schema(request=s.HoldSerializer, responses=s.WorkOrderDetailSerializer)
    @action(detail=True, methods=["post"])
    def hold(self, request: Request, pk: str | None = None) -> Response:
        """Pause (挂起) waiting for parts, a contractor or access; the repair clock pauses."""
        return self._act(
            request,
            s.HoldSerializer,
            lambda order, data: orders.work_order_hold(
                actor=request.user, order=order, reason=data["reason"], note=data.get("note", "")
            ),
        )

    @extend_schema(request=s.ReasonSerializer, responses=s.WorkOrderDetailSerializer)
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_(self, request: Request, pk: str | None = None) -> Response:
        """The worker hands the order back to the dispatcher, saying why."""
        return self._act(
            request,
            s.ReasonSerializer,
            lambda order, data: orders.work_order_return(
                actor=request.user, order=order, reason=data["reason"]
            ),
        )

    @extend_schema(
        request={
            "application/json": s.FinishSerializer,
            "multipart/form-data": s.FinishUploadSerializer,
        },
        responses=s.WorkOrderDetailSerializer,
    )
    @action(detail=True, methods=["post"], parser_classes=UPLOAD_PARSERS)
    def finish(self, request: Request, pk: str | None = None) -> Response:
        """Record the work (notes, labour, parts, contractor, checklist, “after” photos) and
        finish: to the requester for verification, or closed when nobody requested it."""
        return self._act(
            request,
            s.FinishSerializer,
            lambda order, data: orders.work_order_finish(
                actor=request.user,
                order=order,
                work_notes=data["work_notes"],
                labour_minutes=data.get("labour_minutes", 0),
                parts=data.get("parts", ()),
                contractor=data.get("contractor", ""),
                contractor_cost=data["contractor_cost"],
                photos=data.get("photos", ()),
                checklist=data.get("checklist"),
            ),
            json_fields=("parts", "checklist"),
        )

    @extend_schema(request=s.VerifySerializer, responses=s.WorkOrderDetailSerializer)
    @action(detail=True, methods=["post"])
    def verify(self, request: Request, pk: str | None = None) -> Response:
        """验收 by the requester: accept the repair, or send it back saying what is wrong."""
        return self._act(
            request,
            s.VerifySerializer,
            lambda order, data: closing.work_order_verify(
                actor=request.user,
                order=order,
                accepted=data["accepted"],
                comment=data.get("comment", ""),
            ),
        )

    @extend_schema(request=s.RateSerializer, responses=s.WorkOrderDetailSerializer)
    @action(detail=True, methods=["post"])
    def rate(self, request: Request, pk: str | None = None) -> Response:
        """评价: 1 to 5 stars and a comment, by the requester (verifies a waiting repair too)."""
        return self._act(
            request,
            s.RateSerializer,
            lambda order, data: closing.work_order_rate(
                actor=request.user,
                order=order,
                rating=data["rating"],
                comment=data.get("comment", ""),
            ),
        )

    @extend_schema(request=s.ReasonSerializer, responses=s.WorkOrderDetailSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, pk: str | None = None) -> Response:
        """Cancel, saying why: a dispatcher, or the requester while nobody has started."""
        return self._act(
            request,
            s.ReasonSerializer,
            lambda order, data: closing.work_order_cancel(
                actor=request.user, order=order, reason=data["reason"]
            ),
        )


# (prefix, viewset, basename) registered under /api/v1/.
ROUTES: list[tuple[str, Any, str]] = [("work-orders", WorkOrderViewSet, "workorder")]
