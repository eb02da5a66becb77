from workflow.models.audit import AuditEvent, AuditImmutable
from workflow.models.calendar import HariKhusus, Jadwal, JamKerja
from workflow.models.delegation import Delegation
from workflow.models.dossier import Dossier
from workflow.models.naskah import NaskahDibuat, NomorUrut, Penomoran, ProfilKantor
from workflow.models.records import Document, IkuRow, IkuSubmission, Meeting, StepVisit
from workflow.models.reminders import DigestSent, ReminderSent
from workflow.models.skpd import Skpd
from workflow.models.user import User, UserRole

__all__ = [
    "AuditEvent",
    "AuditImmutable",
    "Delegation",
    "DigestSent",
    "Document",
    "Dossier",
    "HariKhusus",
    "IkuRow",
    "IkuSubmission",
    "Jadwal",
    "JamKerja",
    "Meeting",
    "NaskahDibuat",
    "NomorUrut",
    "Penomoran",
    "ProfilKantor",
    "ReminderSent",
    "Skpd",
    "StepVisit",
    "User",
    "UserRole",
]
