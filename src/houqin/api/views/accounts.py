"""People (read only), the caller (``me``), and API tokens."""

from __future__ import annotations

from typing import Any

from axes.helpers import get_cool_off
from django.contrib.auth import authenticate, user_logged_in
from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, mixins, status, viewsets
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from houqin.accounts.filters import UserFilter
from houqin.accounts.models import Membership, User
from houqin.core.views.mixins import narrow

from ..exceptions import LockedOut
from ..models import ApiToken
from ..serializers import accounts as s
from ..services import token_create, token_revoke
from .base import ReadOnlyScopedViewSet

MEMBERSHIP_RELATED = ("school", "district", "role", "department")


class UserViewSet(ReadOnlyScopedViewSet):
    """People in the caller's schools (needs ``accounts.view_user``)."""

    queryset = User.objects.all()
    serializer_class = s.UserSerializer
    filterset_class = UserFilter
    search_fields = ("real_name", "username", "phone", "staff_no")
    ordering_fields = ("real_name", "username", "staff_no")
    ordering = ("real_name",)

    def base_queryset(self) -> QuerySet[Any]:
        visible = narrow(
            Membership.objects.filter(is_active=True).select_related(*MEMBERSHIP_RELATED),
            self.request.user,
            self.required_permission(),
        )
        queryset: QuerySet[Any] = User.objects.prefetch_related(
            Prefetch("memberships", queryset=visible, to_attr="visible_memberships")
        )
        return queryset


class MeView(APIView):
    """The caller: memberships, and the permissions held in each school."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses=s.MeSerializer)
    def get(self, request: Request) -> Response:
        user = User.objects.prefetch_related(
            Prefetch(
                "memberships",
                queryset=Membership.objects.filter(is_active=True).select_related(
                    *MEMBERSHIP_RELATED
                ),
                to_attr="active_memberships",
            )
        ).get(pk=request.user.pk)
        return Response(s.MeSerializer(user, context={"request": request}).data)


WRONG_CREDENTIALS = _(
    "Wrong username/mobile number or password. After 5 failed attempts the "
    "account is locked for 15 minutes."
)


class ObtainTokenView(APIView):
    """Exchange a username (or mobile number) and password for a new token.

    The login lockout applies: after repeated failures the account is locked for a while.
    """

    authentication_classes: list[Any] = []
    permission_classes = [AllowAny]

    @extend_schema(
        request=s.TokenRequestSerializer,
        responses={201: s.TokenCreatedSerializer},
        auth=[],
    )
    def post(self, request: Request) -> Response:
        data = s.TokenRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        user = authenticate(request, username=values["username"], password=values["password"])
        if getattr(request, "axes_locked_out", False):
            locked = LockedOut()
            cool_off = get_cool_off(request)
            locked.wait = cool_off.total_seconds() if cool_off else None  # type: ignore[attr-defined]
            raise locked
        if user is None:
            raise exceptions.ValidationError(WRONG_CREDENTIALS, code="invalid_credentials")
        token, raw = token_create(
            user=user, name=values.get("name", ""), lifetime_days=values.get("lifetime_days")
        )
        user_logged_in.send(sender=user.__class__, request=request, user=user)
        token.token = raw  # type: ignore[attr-defined]
        return Response(s.TokenCreatedSerializer(token).data, status=status.HTTP_201_CREATED)


class TokenViewSet(mixins.ListModelMixin, mixins.DestroyModelMixin, viewsets.GenericViewSet):  # type: ignore[type-arg]
    """The caller's own tokens (never the secrets); DELETE revokes one."""

    queryset = ApiToken.objects.all()
    serializer_class = s.TokenSerializer
    permission_classes = [IsAuthenticated]
    lookup_value_regex = r"[0-9]+"
    filter_backends: list[Any] = []

    def get_queryset(self) -> QuerySet[ApiToken]:
        return ApiToken.objects.filter(user=self.request.user).order_by("-created_at", "-id")

    def perform_destroy(self, instance: ApiToken) -> None:
        token_revoke(token=instance, actor=self.request.user)
