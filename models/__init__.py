"""SQLModel tables and the engine — the system of record. No Prefect imports here."""

from duban.models.access import ApiToken, PortalLink, SignInFailure
from duban.models.bulletin import Bulletin
from duban.models.plan import Indicator, Plan, PlanChange, PlanItem, Task, Unit
from duban.models.tracking import Extension, Measurement, Occurrence, Reminder, StatusEvent

__all__ = [
    "ApiToken",
    "Bulletin",
    "Extension",
    "Indicator",
    "Measurement",
    "Occurrence",
    "Plan",
    "PlanChange",
    "PlanItem",
    "PortalLink",
    "Reminder",
    "SignInFailure",
    "StatusEvent",
    "Task",
    "Unit",
]
