"""What a form sent, given back on an error page: nothing typed is lost, whatever failed.

A form refused by the app comes back whole (every view re-renders its bound form); an error nobody
foresaw ends at the 500 page instead, after the write was rolled back. That page shows each typed
text under its field's label, in a form that sends everything again to the same address ("Kirim
lagi"), with the hidden fields and choices as they were posted. A form that never reached its view
(the session ended while it was open, or a sign-in since made its token stale) is given back to
copy, not to send: sending it again would need a fresh token, which a forged post must never get.
A file cannot be given back: it is asked for by name. Nothing a view marks sensitive
(`sensitive_post_parameters`: the signing password, a BSrE passphrase, a login) and no
password-like field is ever written into the page.
"""

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from django import forms
from django.urls import Resolver404, resolve
from django.utils.module_loading import import_string

_SENSITIVE = re.compile(r"pass|sandi|nik$|secret|rahasia|token", re.IGNORECASE)
# What the page carried for itself, not what was typed (the IKU grid's marks of its table, iku.forms).
_TECHNICAL = {"csrfmiddlewaretoken", "revision", "state", "kunci_kirim", "tabel_versi", "tabel_draf", "pelimpahan"}
# The agency's IKU page is one form whose buttons post to these addresses besides its action's.
GRID_BUTTONS = ("iku_draft", "iku_upload", "iku_copy_last_year")
_GRID_CELL = re.compile(r"^r-(\d{1,4})-([a-z_]+)$")


@dataclass(frozen=True)
class Posted:
    name: str
    value: str
    label: str
    shown: bool  # a text the user typed, shown in a box; else sent again unseen (a choice, a revision)


@dataclass(frozen=True)
class TypedBack:
    action: str
    fields: list
    files: list
    withheld: bool  # the view marked every field sensitive: nothing is shown again
    resend: bool = True  # offered to send again as it was posted; else shown to copy
    back_to: str = ""  # the form's page, to open again and paste into (when only shown)
    table: str = ""  # the IKU grid's rows as one block to copy and paste back into the grid

    @property
    def shown(self) -> list:
        return [field for field in self.fields if field.shown]


def _form_fields(request) -> dict:
    """The fields of the form the address takes, for their labels and kinds; {} when unknown."""
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return {}
    from workflow.actions import ACTIONS

    action = match.kwargs.get("action")
    if match.url_name in GRID_BUTTONS:
        action = "ajukan_iku"
    if action in ACTIONS:
        return dict(import_string(ACTIONS[action].form).base_fields)
    if match.url_name == "dossier_new":
        return dict(import_string("workflow.forms.DossierCreateForm").base_fields)
    if match.url_name == "naskah_buat":
        # A letter's or the minutes' own labels ("Rapat (topik)", not "Acara"), to find where to paste.
        from naskah.generators import GENERATORS

        generator = GENERATORS.get(match.kwargs.get("kind"))
        return dict(generator.form.base_fields) if generator is not None else {}
    return {}


def _label(name: str, field) -> str:
    cell = _GRID_CELL.match(name)
    if cell:
        from iku.rows import LABELS

        return f"Baris {cell.group(1)}, {LABELS.get(cell.group(2), cell.group(2))}"
    if field is not None and field.label:
        return str(field.label)
    return name.replace("_", " ").capitalize()


def _is_text(name: str, field, value: str) -> bool:
    if name in _TECHNICAL or not value.strip():
        return False
    if field is not None:
        return not isinstance(field, (forms.ChoiceField, forms.ModelChoiceField, forms.BooleanField))
    return bool(_GRID_CELL.match(name)) or not value.isdigit()


def _grid_block(fields: list) -> str:
    """The grid's cells as spreadsheets copy them (a heading line, then a line per row, tab between
    cells; a cell holding a tab, a break or a quote quoted), which the grid's paste reads back whole:
    one block to copy, not a box per cell (forty rows are three hundred boxes)."""
    from iku.rows import FIELDS, LABELS

    rows: dict[int, dict] = {}
    for field in fields:
        cell = _GRID_CELL.match(field.name)
        if cell and cell.group(2) in LABELS:
            rows.setdefault(int(cell.group(1)), {})[cell.group(2)] = field.value
    filled = [rows[number] for number in sorted(rows) if any(value.strip() for value in rows[number].values())]
    if not filled:
        return ""

    def quoted(text: str) -> str:
        return '"' + text.replace('"', '""') + '"' if any(c in text for c in '\t\n\r"') else text

    lines = ["\t".join(LABELS[name] for name in FIELDS)]
    lines += ["\t".join(quoted(row.get(name, "")) for name in FIELDS) for row in filled]
    return "\n".join(lines)


def _page_of_the_form(request) -> str:
    """Where the form was filled in: the Referer when it is a page of this site, else the inbox."""
    referer = urlsplit(request.headers.get("Referer", ""))
    if referer.netloc == request.get_host() and referer.path.startswith("/"):
        return referer.path + (f"?{referer.query}" if referer.query else "")
    return "/"


def _from_this_site(request) -> bool:
    """Whether the browser says the post came from one of this site's pages (it sends Origin with
    every form post): another site's forged post is never written into one of ours."""
    return request.headers.get("Origin") == f"{request.scheme}://{request.get_host()}"


def typed_back(request, *, resend=True) -> TypedBack | None:
    """The posted form of a failed request as the error page gives it back; None for anything but a
    readable form post. A post that never passed the token check (`resend=False`) is given back only
    when it came from this site."""
    try:
        if request.method != "POST" or not request.POST:
            return None
        if not resend and not _from_this_site(request):
            return None
        hidden = getattr(request, "sensitive_post_parameters", [])
        if hidden == "__ALL__":
            return TypedBack(request.get_full_path(), [], [], True, resend)
        known = _form_fields(request)
        fields = [
            Posted(name, value, _label(name, known.get(name)), _is_text(name, known.get(name), value))
            for name, values in request.POST.lists()
            if name not in hidden and (name == "csrfmiddlewaretoken" or not _SENSITIVE.search(name))
            for value in values
        ]
        table = _grid_block(fields)
        if table:
            # The cells are given back as the block; sent again, they go as they came.
            fields = [Posted(f.name, f.value, f.label, False) if _GRID_CELL.match(f.name) else f for f in fields]
        files = [upload.name for uploads in request.FILES.lists() for upload in uploads[1]]
        return TypedBack(request.get_full_path(), fields, files, False, resend,
                         "" if resend else _page_of_the_form(request), table)
    except Exception:  # the error page must render whatever the request holds
        return None
