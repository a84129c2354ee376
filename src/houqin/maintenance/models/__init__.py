from .config import (
    DispatchRule,
    MaintenanceSettings,
    MaintenanceTeam,
    RepairCategory,
    WorkCalendarDay,
)
from .orders import WorkOrder, WorkOrderPart
from .plans import Campaign, MaintenancePlan
from .requests import RepairRequest
from .stats import WorkOrderMonthStat

__all__ = [
    "Campaign",
    "DispatchRule",
    "MaintenancePlan",
    "MaintenanceSettings",
    "MaintenanceTeam",
    "RepairCategory",
    "RepairRequest",
    "WorkCalendarDay",
    "WorkOrder",
    "WorkOrderMonthStat",
    "WorkOrderPart",
]
