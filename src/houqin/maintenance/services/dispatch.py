"""Automatic dispatch: the most specific active rule for a category and building wins."""

from __future__ import annotations

from django.db.models import Case, IntegerField, Q, Value, When

from ..models import DispatchRule


def choose(
    *, school_id: int, category_id: int | None, building_id: int | None
) -> tuple[int | None, int | None]:
    """(worker id, team id) to dispatch to, or (None, None) when no rule applies.

    A rule naming both the category and the building beats one naming the category only,
    which beats one naming the building only, which beats a catch-all rule. A team rule
    dispatches to the team's leader (the team is kept on the order).
    """
    rule = (
        DispatchRule.objects.filter(school_id=school_id, is_active=True)
        .filter(Q(category_id=category_id) | Q(category__isnull=True))
        .filter(Q(building_id=building_id) | Q(building__isnull=True))
        .select_related("team")
        .annotate(
            specificity=Case(
                When(category__isnull=False, building__isnull=False, then=Value(3)),
                When(category__isnull=False, then=Value(2)),
                When(building__isnull=False, then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            )
        )
        .order_by("-specificity", "pk")
        .first()
    )
    if rule is None:
        return None, None
    if rule.assignee_id:
        return rule.assignee_id, rule.team_id
    team = rule.team
    if team is not None and team.is_active:
        return team.leader_id, team.pk
    return None, None
