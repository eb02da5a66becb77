from workflow.models.audit import AuditEvent, AuditImmutable
from workflow.models.delegation import Delegation
from workflow.models.dossier import Dossier
from workflow.models.records import Document, IkuRow, IkuSubmission, Meeting, StepVisit
from workflow.models.skpd import Skpd
from workflow.models.user import User, UserRole

__all__ = [
    "AuditEvent",
    "AuditImmutable",
    "Delegation",
    "Document",
    "Dossier",
    "IkuRow",
    "IkuSubmission",
    "Meeting",
    "Skpd",
    "StepVisit",
    "User",
    "UserRole",
]
