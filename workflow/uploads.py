"""Uploaded documents: what may be uploaded, and how a stored one is handed back.

A file is judged by its content as well as by its name: a renamed program or a picture called
".pdf" would otherwise reach an official who opens it trusting the name.
"""

import math
import re
import zipfile

import filetype
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import FileResponse

from lib.archives import UnsafeArchive, check_zip_expansion
from workflow.models import Document
from workflow.steps import DocKind

PDF = "application/pdf"
JPEG = "image/jpeg"
PNG = "image/png"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

CONTENT_TYPE_BY_EXTENSION = {".pdf": PDF, ".jpg": JPEG, ".jpeg": JPEG, ".png": PNG, ".docx": DOCX, ".xlsx": XLSX}
ACCEPT = ",".join(CONTENT_TYPE_BY_EXTENSION)

# An Office file is a zip; what it is depends on its main part and on the type its package declares
# for it. The declared types also keep out the macro-enabled variants (.docm, .xlsm), whose main part
# has the same name but another type.
OFFICE_PARTS = {
    DOCX: ("word/document.xml", b"wordprocessingml.document.main+xml"),
    XLSX: ("xl/workbook.xml", b"spreadsheetml.sheet.main+xml"),
}
CONTENT_TYPES_PART = "[Content_Types].xml"
CONTENT_TYPES_MAX_BYTES = 1024 * 1024
ZIP_SIGNATURE = b"PK\x03\x04"
HEAD_BYTES = 8192
MB = 1024 * 1024
# What a DOCX or XLSX may hold once unpacked: far more than any real letter or table, far less
# than what would fill the disk of whoever opens it.
EXPANDED_MAX_BYTES = 200 * MB

NOT_ALLOWED = "Jenis berkas tidak diizinkan: hanya PDF, JPEG, PNG, DOCX atau XLSX."
EMPTY = "Berkas kosong."


def megabytes(size: int, rounding=math.ceil) -> str:
    """12,5 / 10: one decimal with a comma, none when whole. Sizes round up so that a file just over
    the limit never reads as equal to it."""
    tenths = rounding(size * 10 / MB)
    whole, tenth = divmod(tenths, 10)
    return f"{whole}" if not tenth else f"{whole},{tenth}"


def clean_name(name: str) -> str:
    """The user's file name without any folder (browsers on Windows may send one) or control
    characters, trimmed to 255 keeping its extension."""
    name = re.sub(r"[\x00-\x1f\x7f]", "", name.replace("\\", "/").rsplit("/", 1)[-1]).strip()
    if len(name) <= 255:
        return name
    stem, dot, ext = name.rpartition(".")
    if not dot or len(ext) > 10:
        return name[:255]
    return stem[: 254 - len(ext)] + "." + ext


def extension(name: str) -> str:
    _, dot, ext = clean_name(name).rpartition(".")
    return f".{ext.lower()}" if dot else ""


def _office_type(uploaded_file) -> str | None:
    try:
        with zipfile.ZipFile(uploaded_file) as archive:
            names = set(archive.namelist())
            declared = archive.getinfo(CONTENT_TYPES_PART) if CONTENT_TYPES_PART in names else None
            if declared is None or declared.file_size > CONTENT_TYPES_MAX_BYTES:
                return None
            content_types = archive.read(declared)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, NotImplementedError, ValueError):
        return None
    found = [kind for kind, (part, main) in OFFICE_PARTS.items() if part in names and main in content_types]
    return found[0] if len(found) == 1 else None


def sniff(uploaded_file) -> str | None:
    """The allowed content type the bytes are, whatever the name says; None for anything else.
    Raises ValidationError for an Office file that would expand past the limits (a zip bomb)."""
    uploaded_file.seek(0)
    head = uploaded_file.read(HEAD_BYTES)
    try:
        if head.startswith(ZIP_SIGNATURE):
            try:
                check_zip_expansion(uploaded_file, max_total=EXPANDED_MAX_BYTES)
            except UnsafeArchive as problem:
                raise ValidationError(str(problem), code="archive") from None
            return _office_type(uploaded_file)
        guessed = filetype.guess(head)
        return guessed.mime if guessed and guessed.mime in (PDF, JPEG, PNG) else None
    finally:
        uploaded_file.seek(0)


def validate_upload(uploaded_file) -> str:
    """Raise ValidationError (in Indonesian) unless the file may be stored; return its content type.

    Usable as a form field validator too (Django ignores the return value there)."""
    limit = settings.UPLOAD_MAX_BYTES
    if not uploaded_file.size:
        raise ValidationError(EMPTY, code="empty")
    if uploaded_file.size > limit:
        raise ValidationError(
            f"Berkas terlalu besar: {megabytes(uploaded_file.size)} MB; "
            f"batasnya {megabytes(limit, math.floor)} MB.",
            code="too_large",
        )
    ext = extension(uploaded_file.name)
    expected = CONTENT_TYPE_BY_EXTENSION.get(ext)
    if expected is None:
        raise ValidationError(NOT_ALLOWED, code="type")
    actual = sniff(uploaded_file)
    if actual != expected:
        raise ValidationError(f"Isi berkas tidak sesuai dengan namanya ({ext}).", code="content")
    return actual


def upload_kinds(step) -> list[str]:
    """What may be uploaded at `step`: what it requires, what it produces, and supporting papers."""
    return list(dict.fromkeys(step.requires + step.produces + (DocKind.LAINNYA,)))


class DocumentUploadForm(forms.Form):
    """One document for the dossier's current step (or for the given `kinds` of DocKind)."""

    kind = forms.ChoiceField(
        label="Jenis dokumen",
        error_messages={
            "required": "Pilih jenis dokumen.",
            "invalid_choice": "Jenis dokumen ini tidak dapat diunggah di sini.",
        },
    )
    file = forms.FileField(
        label="Berkas",
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
        error_messages={
            "required": "Pilih berkas yang akan diunggah.",
            "empty": EMPTY,
            "invalid": "Berkas tidak terbaca; coba unggah lagi.",
            "missing": "Berkas tidak terkirim; coba unggah lagi.",
        },
    )
    keterangan = forms.CharField(label="Keterangan", max_length=255, required=False)

    def __init__(self, data=None, files=None, *, dossier=None, user=None, kinds=(), request=None, **kwargs):
        self.request = request
        super().__init__(data, files, **kwargs)
        if dossier is not None and dossier.step is not None:
            kinds = upload_kinds(dossier.step)
        kinds = tuple(kinds)
        self.fields["kind"].choices = [(k, DocKind(k).label) for k in kinds]
        if len(kinds) == 1:
            self.fields["kind"].initial = kinds[0]
        self.fields["file"].help_text = (
            f"PDF, JPEG, PNG, DOCX atau XLSX; paling besar {megabytes(settings.UPLOAD_MAX_BYTES, math.floor)} MB."
        )
        self.content_type = ""

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        self.content_type = validate_upload(uploaded)
        return uploaded

    def transition_kwargs(self) -> dict:
        return {"document": self.build_document()}

    def build_document(self, **fields) -> Document:
        """An unsaved Document; the caller adds dossier, step and uploaded_by (here or in `fields`)."""
        return document_from_upload(self.cleaned_data["file"], self.cleaned_data["kind"], self.content_type,
                                    keterangan=self.cleaned_data["keterangan"], **fields)


def document_from_upload(uploaded, kind: str, content_type: str, **fields) -> Document:
    """An unsaved Document for a file `validate_upload` accepted as `content_type`, under the
    name its uploader gave it (cleaned); the caller adds dossier, step and uploaded_by."""
    return Document(kind=kind, original_name=clean_name(uploaded.name), content_type=content_type,
                    size=uploaded.size, file=uploaded, **fields)


def document_response(document: Document, *, file=None, name: str = "") -> FileResponse:
    """The stored file (or `file` kept for it) as a download under the name its uploader gave it.

    Always an attachment with nosniff, so a browser never renders or re-guesses what was uploaded."""
    response = FileResponse(
        (file or document.file).open("rb"),
        as_attachment=True,
        filename=name or document.original_name,
        content_type=document.content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
