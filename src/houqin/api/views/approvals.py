"""Approvals: the inbox, one's own requests, a request with its steps and history, and the
decisions (each calls one ``houqin.approvals.services`` function)."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from houqin.approvals import selectors, services
from houqin.approvals.models import (
    ActionKind,
    ApprovalAction,
    ApprovalRequest,
    ApprovalRequestStep,
)

from ..serializers import approvals as s
from .base import acting

VIEW_ALL = "approvals.view_approvalrequest"


def _with_details(queryset: Any) -> QuerySet[ApprovalRequest]:
    steps = ApprovalRequestStep.objects.select_related("role", "approver", "acted_by")
    actions = ApprovalAction.objects.select_related("actor").order_by("created_at", "id")
    result: QuerySet[ApprovalRequest] = queryset.select_related(
        "requester", "department"
    ).prefetch_related(
        Prefetch("steps", queryset=steps.order_by("order"), to_attr="api_steps"),
        Prefetch("actions", queryset=actions, to_attr="api_actions"),
    )
    return result


class ApprovalRefused(exceptions.ValidationError):
    """The approval rules refused the decision (already handled, not yours, no reason…)."""

    default_code = "approval_refused"


class ApprovalViewSet(viewsets.GenericViewSet):  # type: ignore[type-arg]
    """Like the web: every member has an inbox; a request is visible to those taking part in
    it and to holders of ``approvals.view_approvalrequest`` in its school (404 otherwise)."""

    queryset = ApprovalRequest.objects.all()
    serializer_class = s.ApprovalSerializer
    permission_classes = [IsAuthenticated]
    lookup_value_regex = r"[0-9]+"
    filter_backends: list[Any] = []

    def get_serializer_class(self) -> Any:
        if self.action in ("inbox", "mine"):
            return s.ApprovalSerializer
        if self.action in ("approve", "reject", "return_", "withdraw"):
            return s.DecisionSerializer
        return s.ApprovalDetailSerializer

    def get_queryset(self) -> QuerySet[ApprovalRequest]:
        user = self.request.user
        if self.action == "inbox":
            return selectors.inbox(user)
        if self.action == "mine":
            return (
                ApprovalRequest.objects.filter(requester_id=user.pk)
                .select_related("requester", "department")
                .order_by("-submitted_at", "-id")
            )
        return _with_details(ApprovalRequest.objects.visible_to(user, VIEW_ALL))

    def _page(self) -> Response:
        queryset = self.get_queryset()
        page = self.paginate_queryset(queryset)
        serializer = s.ApprovalSerializer(page, many=True, context=self.get_serializer_context())
        return self.get_paginated_response(serializer.data)

    @extend_schema(responses=s.ApprovalSerializer(many=True))
    @action(detail=False)
    def inbox(self, request: Request) -> Response:
        """What waits for the caller's decision (待我审批), oldest first."""
        return self._page()

    @extend_schema(responses=s.ApprovalSerializer(many=True))
    @action(detail=False)
    def mine(self, request: Request) -> Response:
        """The requests the caller has submitted, newest first."""
        return self._page()

    def retrieve(self, request: Request, pk: str | None = None) -> Response:
        return Response(self._detail(self.get_object()))

    def _detail(self, approval: ApprovalRequest) -> Any:
        return s.ApprovalDetailSerializer(approval, context=self.get_serializer_context()).data

    def _decide(self, request: Request, kind: str) -> Response:
        approval = self.get_object()
        data = s.DecisionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        reason = data.validated_data.get("reason", "")
        try:
            with acting(request):
                if kind == ActionKind.WITHDRAW:
                    services.approval_withdraw(request=approval, actor=request.user, reason=reason)
                else:
                    services.approval_act(
                        request=approval, actor=request.user, action=kind, reason=reason
                    )
        except services.ApprovalError as exc:
            raise ApprovalRefused(str(exc)) from exc
        # Re-read with steps and history (visible to the actor: they now took part in it).
        return Response(self._detail(_with_details(ApprovalRequest.objects).get(pk=approval.pk)))

    @extend_schema(request=s.DecisionSerializer, responses=s.ApprovalDetailSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: str | None = None) -> Response:
        return self._decide(request, ActionKind.APPROVE)

    @extend_schema(request=s.DecisionSerializer, responses=s.ApprovalDetailSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request: Request, pk: str | None = None) -> Response:
        """Reject (a reason is required)."""
        return self._decide(request, ActionKind.REJECT)

    @extend_schema(request=s.DecisionSerializer, responses=s.ApprovalDetailSerializer)
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_(self, request: Request, pk: str | None = None) -> Response:
        """Return for revision (a reason is required)."""
        return self._decide(request, ActionKind.RETURN)

    @extend_schema(request=s.DecisionSerializer, responses=s.ApprovalDetailSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request: Request, pk: str | None = None) -> Response:
        """Withdraw one's own request."""
        return self._decide(request, ActionKind.WITHDRAW)
