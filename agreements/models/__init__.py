from .agreements import Agreement, ReferenceSequence
from .applications import Application
from .audit import AuditEvent
from .decisions import Decision, Signature
from .organisations import Organisation
from .requirements import Requirement
from .users import User

__all__ = [
    "Agreement",
    "Application",
    "AuditEvent",
    "Decision",
    "Organisation",
    "ReferenceSequence",
    "Requirement",
    "Signature",
    "User",
]
