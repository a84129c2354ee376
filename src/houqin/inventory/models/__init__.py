from .consumption import DepartmentConsumption, ItemConsumption, PersonConsumption
from .counts import StockCount, StockCountLine
from .items import PaperSize, StockItem, StockMovement
from .requisitions import DepartmentQuota, Requisition, RequisitionLine

__all__ = [
    "DepartmentConsumption",
    "DepartmentQuota",
    "ItemConsumption",
    "PaperSize",
    "PersonConsumption",
    "Requisition",
    "RequisitionLine",
    "StockCount",
    "StockCountLine",
    "StockItem",
    "StockMovement",
]
