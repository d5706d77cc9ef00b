from .agreements import Agreement, AgreementCount, ReferenceSequence
from .appendix_files import AppendixFile
from .applications import Application, ApplicationCoverage, ApplicationUse
from .audit import AuditEvent
from .deadlines import Deadline, ReminderDelivery, ReminderRule
from .decisions import Decision, ReviewRound, Signature
from .documents import DocumentVersion, ImmutableDocumentError, TemplateVersion
from .feeds import CalendarFeed
from .followup import Delivery, Period, ReportingText, RiskAssessment, RiskMeasure
from .organisations import Organisation, SupplierContact
from .renewal import FollowUpDecision
from .requirements import Requirement
from .signing import SigningRequest
from .terms import (
    Contact,
    DataProcessorTerms,
    OperatingAppendix,
    OperatingTerms,
    OtherTerms,
    PartyResponsibility,
    ProcessingLocation,
    Responsibility,
    SecurityMeasure,
    ServiceLevel,
    ServiceTerms,
    SubProcessor,
)
from .tokens import ApiToken
from .users import User

__all__ = [
    "ApiToken",
    "Agreement",
    "AgreementCount",
    "AppendixFile",
    "Application",
    "ApplicationCoverage",
    "ApplicationUse",
    "AuditEvent",
    "CalendarFeed",
    "Deadline",
    "Delivery",
    "FollowUpDecision",
    "Contact",
    "DataProcessorTerms",
    "Decision",
    "DocumentVersion",
    "ImmutableDocumentError",
    "OperatingAppendix",
    "OperatingTerms",
    "Organisation",
    "OtherTerms",
    "Period",
    "PartyResponsibility",
    "ProcessingLocation",
    "ReferenceSequence",
    "ReminderDelivery",
    "ReminderRule",
    "ReviewRound",
    "ReportingText",
    "Requirement",
    "Responsibility",
    "RiskAssessment",
    "RiskMeasure",
    "SecurityMeasure",
    "ServiceLevel",
    "ServiceTerms",
    "Signature",
    "SigningRequest",
    "SubProcessor",
    "SupplierContact",
    "TemplateVersion",
    "User",
]
