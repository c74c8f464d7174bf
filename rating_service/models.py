"""Imports every model module so that Base.metadata is complete (Alembic and tests use this)."""

from rating_service.accounts.models import AuthToken, User
from rating_service.appeals.models import Appeal, AppealAttachment, AppealItem
from rating_service.audit.models import AuditEntry, AuditHead
from rating_service.companies.models import Community, Company, Contract
from rating_service.cycles.models import Cycle, Job, Rating, UnattributedRecord
from rating_service.db import Base
from rating_service.intake.models import CommunityName, IntakeItem, IntakeMapping, IntakeSystem, TriageModel
from rating_service.methodologies.models import MethodologyVersion
from rating_service.monitor.models import MonitorSummary
from rating_service.notices.models import Document, DocumentCounter
from rating_service.records.models import (
    HISTORY,
    Commendation,
    Complaint,
    FeeViolation,
    ImportBatch,
    Inspection,
    MajorEvent,
)
from rating_service.repair.models import CommitmentBreach, RepairAttachment, RepairItem, RepairRequest
from rating_service.workdays.models import CalendarDay, CalendarYear

__all__ = [
    "Appeal",
    "AppealAttachment",
    "AppealItem",
    "HISTORY",
    "AuthToken",
    "CalendarDay",
    "CalendarYear",
    "Cycle",
    "Document",
    "DocumentCounter",
    "Job",
    "MethodologyVersion",
    "Rating",
    "UnattributedRecord",
    "User",
    "AuditEntry",
    "AuditHead",
    "Base",
    "Commendation",
    "Community",
    "Company",
    "Complaint",
    "Contract",
    "FeeViolation",
    "ImportBatch",
    "CommunityName",
    "IntakeItem",
    "IntakeMapping",
    "IntakeSystem",
    "TriageModel",
    "Inspection",
    "MajorEvent",
    "MonitorSummary",
    "CommitmentBreach",
    "RepairAttachment",
    "RepairItem",
    "RepairRequest",
]
