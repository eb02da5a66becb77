"""The Django admin: SKPD, users and their roles, delegations; dossiers and their history read-only,
with the actions the user's role allows; what the reminders sent."""

from workflow.admin import dossier, people, permissions, reminders

__all__ = ["dossier", "people", "permissions", "reminders"]
