"""What the workflow tells other apps, without knowing who listens."""

from django.dispatch import Signal

# Sent by services.perform inside the transition's transaction with dossier (locked, in its new
# state), event (all it says, not yet sealed to the chain nor written: the chain's lock is taken
# after the receivers, so a slow one holds up only its own dossier) and user. A receiver's failure
# rolls the whole transition back: a signature whose document cannot be frozen is no signature.
transition_recorded = Signal()

# Sent by services.perform before its transaction, with dossier (as the user loaded it), user,
# action, revision (the one the user saw), at (the action's moment) and fields (the transition's
# arguments). What is slow and needs no lock (a signing service's answer) is made here, not while
# every writer of an SQLite install waits: a receiver with something to make first asks
# services.admitted_now whether the dossier as it stands admits the action, then returns what it
# made keyed by its name (else None). perform hands the lot to the transition as
# `dossier.prepared`; should the dossier have moved meanwhile, it is refused there and thrown away.
transition_preparing = Signal()
