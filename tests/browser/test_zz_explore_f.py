import pytest
from decimal import Decimal
pytestmark = pytest.mark.django_db(transaction=True)

def test_explore(demo):
    import time
    from houqin.org.models import School
    from houqin.finance.models import BudgetLine
    from houqin.inventory.models import StockItem
    from houqin.procurement.models import PurchaseRequest, PurchaseRequestLine, ProcurementSettings, Supplier, AssetIntake, PurchaseOrder
    from houqin.approvals.models import ApprovalChain
    from django.utils import timezone
    s = School.objects.get(name="示范中学")
    print("today", timezone.localdate())
    print(ProcurementSettings.objects.filter(school=s).values())
    for bl in BudgetLine.objects.filter(school=s, department__name="教务处").select_related("school_year"):
        print("BL", bl.pk, bl, bl.amount, bl.committed, bl.spent, bl.available, bl.school_year.start, bl.school_year.end)
    for it in StockItem.objects.filter(school=s).order_by("name")[:200]:
        print("IT", it.pk, it.code, it.name, it.specification, it.unit, it.quantity, it.average_cost, it.min_stock, it.max_stock)
    print("open lines", PurchaseRequestLine.objects.filter(request__school=s, status="open", request__status__in=["approved","ordering"]).values_list("request__number","item_name","quantity","stock_item_id","request__status")[:50])
    print("suppliers", list(Supplier.objects.filter(school=s, is_active=True).values_list("name", flat=True)))
    print("intake", AssetIntake.objects.filter(school=s).values_list("pk","name","status")[:20])
    for c in ApprovalChain.objects.filter(school=s):
        print("CHAIN", c.request_type, c.is_active if hasattr(c,'is_active') else '', list(c.steps.values_list("order","approver_kind","role__code","min_amount")))
    print("orders", PurchaseOrder.objects.filter(school=s).values_list("status").annotate(n=__import__('django.db.models',fromlist=['Count']).Count('pk')))
