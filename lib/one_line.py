"""Texts that must stay on one line, above all those that reach an e-mail's Subject: a line break
there makes the mail library refuse the whole message (BadHeaderError), so a dossier titled over
two lines would never have its hand-offs mailed."""

import re

from django.core.exceptions import ValidationError

# Every break str.splitlines() knows, not only \n and \r: a pasted U+2028 breaks a header as well.
LINE_BREAK = re.compile("[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]")


def has_line_break(text: str) -> bool:
    return bool(LINE_BREAK.search(text or ""))


def refuse_line_break(text: str, label: str, field: str | None = None) -> None:
    """Raise the message shown at the field when `text` holds a line break; `label` names the
    field as the form shows it ("Judul"); a model's clean passes `field`, the error's place."""
    if has_line_break(text):
        error = ValidationError(f"{label} harus satu baris: hapus ganti baris (Enter) di dalamnya.",
                                code="line_break")
        raise ValidationError({field: error}) if field else error


def one_line(text: str) -> str:
    """`text` with every run of whitespace, breaks included, made one space: what goes into a mail
    header, so a row written before the check (or a multi-line disposisi) is still sent."""
    return " ".join(str(text).split())
