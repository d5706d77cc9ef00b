from .agreements import Agreement, ReferenceSequence
from .applications import Application
from .audit import AuditEvent
from .deadlines import Deadline, ReminderDelivery, ReminderRule
from .decisions import Decision, Signature
from .organisations import Organisation
from .requirements import Requirement
from .users import User

__all__ = [
    "Agreement",
    "Application",
    "AuditEvent",
    "Deadline",
    "Decision",
    "Organisation",
    "ReferenceSequence",
    "ReminderDelivery",
    "ReminderRule",
    "Requirement",
    "Signature",
    "User",
]
