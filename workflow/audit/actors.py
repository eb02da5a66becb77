"""Who acted on each dossier, as its log names them, kept on the dossier's own row
(`Dossier.pelaku`): each label between line breaks, in the order the log first names them. The
archive's search finds a round by a name there, reading one row a round instead of every event.

The functions take the models as arguments, so the migration that fills the column runs them with
its own historical models."""

from django.db.models import F, TextField, Value
from django.db.models.functions import Coalesce, Concat, NullIf

from workflow.roles import ACTOR_LABEL_LENGTH

SEPARATOR = "\n"
# Who may act on one round: the bureau's people, a Plh. or two, and the officers of the agencies it
# invites (60 of them, one to three each). Past this many the rest are not named (a round of more
# is not one this bureau runs); the column's length follows from it.
MOST_NAMED = 300
LONGEST = MOST_NAMED * (ACTOR_LABEL_LENGTH + len(SEPARATOR)) + len(SEPARATOR)


def written(labels) -> str:
    """`labels` as the column keeps them: "\nRina (Kasubag)\nAndi (Staf)\n"; "" for none."""
    labels = list(labels)[:MOST_NAMED]
    return "".join(f"{SEPARATOR}{label}" for label in labels) + SEPARATOR if labels else ""


def add(dossiers, dossier_id: int, label: str) -> None:
    """Name `label` on the dossier's row unless it is there: one statement, which changes nothing
    (and locks nothing more) for an actor already named. `dossiers`, the dossier model's manager."""
    dossiers.filter(pk=dossier_id).exclude(pelaku__contains=f"{SEPARATOR}{label}{SEPARATOR}").update(
        pelaku=Concat(Coalesce(NullIf(F("pelaku"), Value("")), Value(SEPARATOR), output_field=TextField()),
                      Value(label + SEPARATOR), output_field=TextField()))


def name(dossier, label: str) -> None:
    """`add` for the dossier an event is appended to, read and locked by the caller: an actor its
    copy names already costs no statement (names are only ever added, so what the copy names, even
    a copy read earlier, the row names too)."""
    if (f"{SEPARATOR}{label}{SEPARATOR}" not in dossier.pelaku
            and dossier.pelaku.count(SEPARATOR) <= MOST_NAMED):
        add(type(dossier)._default_manager, dossier.pk, label)
        dossier.pelaku = (dossier.pelaku or SEPARATOR) + label + SEPARATOR


def fill(dossiers, events, chunk: int = 2000) -> int:
    """Write every dossier's column from its log (an install upgraded to it, an archive restored from
    before it); returns how many dossiers changed."""
    labels, changed = {}, []
    for dossier_id, label in events.order_by("dossier_id", "pk").values_list("dossier_id", "actor_label").iterator(chunk):
        named = labels.setdefault(dossier_id, [])
        if label not in named:
            named.append(label)
    for dossier in dossiers.only("pk", "pelaku").iterator(chunk):
        text = written(labels.get(dossier.pk, ()))
        if dossier.pelaku != text:
            dossier.pelaku = text
            changed.append(dossier)
    dossiers.bulk_update(changed, ["pelaku"], batch_size=chunk)
    return len(changed)
