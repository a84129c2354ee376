from .counts import StockCount, StockCountLine
from .items import PaperSize, StockItem, StockMovement
from .requisitions import DepartmentQuota, Requisition, RequisitionLine

__all__ = [
    "DepartmentQuota",
    "PaperSize",
    "Requisition",
    "RequisitionLine",
    "StockCount",
    "StockCountLine",
    "StockItem",
    "StockMovement",
]
