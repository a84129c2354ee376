import time

import pytest

from houqin.demo import loader, maintenance

pytestmark = pytest.mark.django_db
def test_time(db):
    orig = maintenance.load
    spent = {}
    def timed(schools):
        t = time.perf_counter(); n = orig(schools); spent.setdefault("m", []).append(round(time.perf_counter() - t, 2)); return n
    loader.maintenance.load = timed
    t = time.perf_counter(); loader.load_demo(); total = time.perf_counter() - t
    t = time.perf_counter(); loader.load_demo(); again = time.perf_counter() - t
    print("TOTAL", total, "MAINT", spent, "AGAIN", again)
    from houqin.core.models import StatusChange
    from houqin.maintenance.models import RepairRequest, WorkOrder, WorkOrderPart
    print(WorkOrder.objects.count(), RepairRequest.objects.count(), WorkOrderPart.objects.count(), StatusChange.objects.count())
