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
    "WorkOrderPart",
]
