from .acceptance import Acceptance, AcceptanceLine, AssetIntake
from .orders import PurchaseOrder, PurchaseOrderLine, Quotation, QuotationLine
from .requests import PurchaseRequest, PurchaseRequestLine, PurchaseRequestQuerySet
from .suppliers import ProcurementSettings, Supplier, SupplierQualification

__all__ = [
    "Acceptance",
    "AcceptanceLine",
    "AssetIntake",
    "ProcurementSettings",
    "PurchaseOrder",
    "PurchaseOrderLine",
    "PurchaseRequest",
    "PurchaseRequestLine",
    "PurchaseRequestQuerySet",
    "Quotation",
    "QuotationLine",
    "Supplier",
    "SupplierQualification",
]
