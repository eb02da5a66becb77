"""What the workflow tells other apps, without knowing who listens."""

from django.dispatch import Signal

# Sent by services.perform inside the transition's transaction with dossier (locked, in its new
# state), event (all it says, not yet sealed to the chain nor written: the chain's lock is taken
# after the receivers, so a slow one holds up only its own dossier) and user. A receiver's failure
# rolls the whole transition back: a signature whose document cannot be frozen is no signature.
transition_recorded = Signal()
