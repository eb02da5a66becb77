"""What every API write asks before it writes, as the pages ask it: the policy first (its own
Indonesian refusal), then whether the dossier moved since the caller read it (If-Match, the
dossier's ETag: its revision, or for an addition such as an agency's IKU only its position, as the
page compares them); and, before a form reads the body, whether each value is of the JSON type its
field takes."""

from collections.abc import Callable
from typing import NamedTuple

from django import forms
from django.core.exceptions import PermissionDenied
from rest_framework.exceptions import APIException

from api.errors import TAG, UnknownETag
from workflow import policy
from workflow.services import StaleDossier
from workflow.views.access import may_where_seen, refusal


class PreconditionRequired(APIException):
    status_code = 428
    default_detail = ("Sertakan header If-Match berisi ETag dosier (atau nomor revisinya) yang Anda baca, "
                      "agar perubahan tidak menimpa keadaan yang belum Anda lihat.")


class Seen(NamedTuple):
    revision: int
    state: str | None


def seen(request, dossier) -> Seen:
    """The dossier's version the caller read, from If-Match; 428 without one, 412 for another dossier's
    or for one that names no version of ours (`*` included: a write must name what it read)."""
    sent = request.headers.get("If-Match")
    if sent is None:
        raise PreconditionRequired()
    match = TAG.match(sent.strip())
    if match is None:
        raise UnknownETag(dossier, sent.strip())
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
    # The web's words (a deactivated agency, a lapsed Plh., one's own draft), not one sentence for all.
    raise PermissionDenied(refusal(request.user, action, dossier, program=True))


def may_do(user, action):
    return lambda dossier: policy.can(user, action, dossier)


def mistyped(form, body: dict) -> dict[str, list[str]]:
    """The body's values that are not of the JSON type the form's field takes, as the form's errors
    are shaped. A Django form reads a POST, all text: it would take ["x"] as the text "['x']" and
    true as "True"."""
    wrong = {}
    for name, value in body.items():
        field = form.fields.get(name)
        if field is None or value is None:
            continue
        expected = _expected(field)
        if not expected.takes(value):
            wrong[name] = [expected.message.format(name=name)]
    return wrong


class _Expected(NamedTuple):
    takes: Callable[[object], bool]
    message: str


def _text(value) -> bool:
    return isinstance(value, str)


def _number_or_text(value) -> bool:
    return isinstance(value, (str, int, float)) and not isinstance(value, bool)


def _id_or_text(value) -> bool:
    return isinstance(value, (str, int)) and not isinstance(value, bool)


def _expected(field) -> _Expected:
    if isinstance(field, forms.FileField):
        return _Expected(lambda value: False,
                         "{name} berupa berkas, yang tidak dapat dikirim sebagai JSON: unggah lewat halaman dosier.")
    if isinstance(field, (forms.BooleanField, forms.NullBooleanField)):
        return _Expected(lambda value: isinstance(value, bool), "{name} harus true atau false.")
    if isinstance(field, forms.ModelMultipleChoiceField):
        return _Expected(lambda value: isinstance(value, list) and all(_id_or_text(v) for v in value),
                         "{name} harus daftar nomor.")
    if isinstance(field, forms.MultipleChoiceField):
        return _Expected(lambda value: isinstance(value, list) and all(_text(v) for v in value),
                         "{name} harus daftar teks.")
    if isinstance(field, forms.ModelChoiceField):
        return _Expected(_id_or_text, "{name} harus nomor.")
    # FloatField and DecimalField are IntegerFields too.
    if isinstance(field, forms.IntegerField):
        return _Expected(_number_or_text, "{name} harus bilangan.")
    return _Expected(_text, "{name} harus teks.")
