"""What every API write asks before it writes, as the pages ask it: the policy first (its own
Indonesian refusal), then whether the dossier moved since the caller read it (If-Match, the
dossier's ETag: its revision, or for an addition such as an agency's IKU only its position, as the
page compares them)."""

import re
from typing import NamedTuple

from django.core.exceptions import PermissionDenied
from rest_framework.exceptions import APIException

from workflow import policy
from workflow.actions import ACTION_LABELS
from workflow.services import StaleDossier
from workflow.views.access import may_where_seen

_TAG = re.compile(r'^(?:W/)?"?(?:(\d+)-)?(\d+)(?:-([a-z0-9_]+))?"?$')


class PreconditionRequired(APIException):
    status_code = 428
    default_detail = ("Sertakan header If-Match berisi ETag dosier (atau nomor revisinya) yang Anda baca, "
                      "agar perubahan tidak menimpa keadaan yang belum Anda lihat.")


class Seen(NamedTuple):
    revision: int
    state: str | None


def seen(request, dossier) -> Seen:
    """The dossier's version the caller read, from If-Match; 428 without one, 412 for another dossier's."""
    match = _TAG.match(request.headers.get("If-Match", "").strip())
    if match is None:
        raise PreconditionRequired()
    pk, revision, state = match.groups()
    if pk is not None and int(pk) != dossier.pk:
        raise StaleDossier(dossier)
    return Seen(int(revision), state)


def revision_to_write(request, dossier, may, action: str, *, additive: bool) -> int:
    """The revision to hand `services.perform` (which compares it again under the row lock).

    `may(dossier)` is the policy's answer. A caller who lost a race is told the dossier moved (412)
    only if they could act where they saw it; anyone else is refused exactly as a fresh call is."""
    was = seen(request, dossier)
    stale = (was.state != dossier.state) if additive and was.state else was.revision != dossier.revision
    if may(dossier):
        if stale:
            raise StaleDossier(dossier)
        return dossier.revision if additive else was.revision
    if stale and may_where_seen(dossier, was.state, may):
        raise StaleDossier(dossier)
    raise PermissionDenied(f"Anda tidak berwenang {ACTION_LABELS[action].lower()} pada posisi “{dossier.state_label}”.")


def may_do(user, action):
    return lambda dossier: policy.can(user, action, dossier)
