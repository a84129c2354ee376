from collections import Counter

import pytest
from django.db.models import Avg, Count, Q
from django.utils import timezone

from houqin.demo.loader import load_demo
from houqin.maintenance.models import RepairRequest, WorkOrder

pytestmark = pytest.mark.django_db
def test_stats(db):
    load_demo()
    for school in ("示范中学", "阳光幼儿园"):
        qs = WorkOrder.objects.filter(school__name=school)
        print(school, qs.count(), Counter(qs.values_list("status", flat=True)))
        print(" source", Counter(qs.values_list("source", flat=True)))
        print(" cat", Counter(qs.filter(source="request").values_list("category__code", flat=True)))
        months = Counter(timezone.localtime(t).strftime("%Y-%m") for t in qs.filter(source="request").values_list("reported_at", flat=True))
        print(" months", sorted(months.items()))
        print(" urg", Counter(qs.values_list("urgency", flat=True)))
        print(" ontime", qs.aggregate(r=Avg("responded_on_time"), f=Avg("resolved_on_time"), rating=Avg("rating"), esc=Count("pk", filter=Q(escalation_level__gt=0))))
        print(" workers", Counter(qs.values_list("assignee__username", flat=True)))
        print(" repeats", qs.exclude(repeat_of=None).count())
        for o in qs.filter(status__in=["new","assigned","in_progress","on_hold","returned","awaiting_verification"]).order_by("reported_at").select_related("assignee","room"):
            print("   ", o.number, o.status, o.urgency, o.title, o.room, o.assignee, timezone.localtime(o.reported_at).strftime("%m-%d %H:%M"), "due", timezone.localtime(o.resolve_due).strftime("%m-%d %H:%M"), "esc", o.escalation_level, o.plan_id, o.campaign_id)
        print(" requests", Counter(RepairRequest.objects.filter(school__name=school).values_list("channel","status")))
