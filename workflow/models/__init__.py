from workflow.models.audit import AuditChainHead, AuditEvent, AuditImmutable
from workflow.models.delegation import Delegation, DelegationRule
from workflow.models.disposition import Disposition
from workflow.models.dossier import Dossier
from workflow.models.invitation import Invitation
from workflow.models.password_link import PasswordLink
from workflow.models.records import Document, Meeting, StepVisit
from workflow.models.reminders import DigestSent, ReminderSent
from workflow.models.sent_form import SentForm
from workflow.models.skpd import Skpd
from workflow.models.user import User, UserRole

__all__ = [
    "AuditChainHead",
    "AuditEvent",
    "AuditImmutable",
    "Delegation",
    "DelegationRule",
    "DigestSent",
    "Disposition",
    "Document",
    "Dossier",
    "Invitation",
    "Meeting",
    "PasswordLink",
    "ReminderSent",
    "SentForm",
    "Skpd",
    "StepVisit",
    "User",
    "UserRole",
]
