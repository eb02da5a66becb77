"""What the workflow tells other apps, without knowing who listens."""

from django.dispatch import Signal

# Sent by services.perform inside the transition's transaction, after its audit event is written,
# with dossier (locked, in its new state), event and user. A receiver's failure rolls the whole
# transition back: a signature whose document cannot be frozen is no signature.
transition_recorded = Signal()
