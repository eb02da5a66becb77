"""Uploaded documents: what may be uploaded, and how a stored one is handed back.

A file is judged by its content as well as by its name: a renamed program or a picture called
".pdf" would otherwise reach an official who opens it trusting the name.
"""

import logging
import math
import re
import struct
import zipfile
import zlib

import filetype
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import FileResponse
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

from lib.archives import LOCKED, OFFICE_LEGACY, OFFICE_LOCKED, UnsafeArchive, check_zip_expansion, compound_file
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

# A PDF is stored to be opened by an official: none may run anything when opened, clicked or shown.
# An action names what it does by /S (a script, a program to start); /JS holds a script wherever it
# sits; /JavaScript names the document's scripts; an XFA form carries scripts of its own.
PDF_ACTIVE_ACTIONS = {"/JavaScript": "JavaScript", "/Launch": "perintah menjalankan program"}
# A file carried inside the PDF (an HTML page, a program) opens from the viewer's attachment pane.
EMBEDDED = "berkas tersemat (lampiran di dalam PDF)"
PDF_ACTIVE_KEYS = {"/JS": "JavaScript", "/JavaScript": "JavaScript", "/XFA": "formulir XFA (yang dapat berisi skrip)",
                   "/EmbeddedFiles": EMBEDDED, "/EF": EMBEDDED}
# A link whose address is a script: the viewer runs it when the link is clicked.
SCRIPT_ADDRESS = "tautan javascript:"
PDF_MAX_OBJECTS = 200_000
# A PDF pypdf cannot read is searched by its bytes, its compressed streams inflated up to this much
# in all. A PDF pypdf did read has its bytes searched too, for the long names only: a scan's image
# data matches "/JS(" by chance about once in 200 files of 10 MB, "/JavaScript" never.
PDF_SCAN_INFLATED_BYTES = 64 * MB
PDF_ACTIVE_BYTES = re.compile(rb"/(JavaScript|Launch|XFA|EmbeddedFiles)(?![A-Za-z0-9])|/(JS)\s*(?:\(|<|\d+\s+\d+\s+R)")
PDF_ACTIVE_LONG_NAMES = re.compile(rb"/(JavaScript|Launch|EmbeddedFiles)(?![A-Za-z0-9])()")
PDF_NAME_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
PDF_STREAM_START = re.compile(rb"stream\r?\n")
PDF_FOUND_BY_BYTES = {b"JavaScript": "JavaScript", b"JS": "JavaScript", b"Launch": "perintah menjalankan program",
                      b"XFA": "formulir XFA (yang dapat berisi skrip)", b"EmbeddedFiles": EMBEDDED}
# Office Open XML packages are stored or deflated, never encrypted at the zip level (ECMA-376 part 2).
ZIP_METHODS = {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED}
ZIP_LOCAL_HEADER = struct.Struct("<4s22xHH")
READ_CHUNK = 64 * 1024

NOT_ALLOWED = "Jenis berkas tidak diizinkan: hanya PDF, JPEG, PNG, DOCX atau XLSX."
# What the clerk does with the files an office has at hand that are not allowed: said with the refusal.
CONVERT = {
    ".doc": "Buka di Word, pilih Simpan Sebagai › Dokumen Word (.docx) atau PDF, lalu unggah lagi.",
    ".rtf": "Buka di Word, pilih Simpan Sebagai › Dokumen Word (.docx) atau PDF, lalu unggah lagi.",
    ".odt": "Buka di LibreOffice Writer, pilih Simpan Sebagai › Word (.docx), atau Ekspor sebagai PDF, lalu unggah lagi.",
    ".xls": "Buka di Excel, pilih Simpan Sebagai › Buku Kerja Excel (.xlsx), lalu unggah lagi.",
    ".csv": "Buka di Excel, pilih Simpan Sebagai › Buku Kerja Excel (.xlsx), lalu unggah lagi.",
    ".ods": "Buka di LibreOffice Calc, pilih Simpan Sebagai › Excel 2007-365 (.xlsx), lalu unggah lagi.",
    ".heic": "Foto HEIC (iPhone): simpan ulang sebagai JPEG, lalu unggah lagi. Agar iPhone memotret sebagai JPEG: "
             "Pengaturan › Kamera › Format › Paling Kompatibel.",
    ".heif": "Foto HEIF: simpan ulang sebagai JPEG, lalu unggah lagi.",
}
# An Office file in the older container although its name says DOCX or XLSX.
OFFICE_APP = {DOCX: ("Word", "Dokumen Word (.docx)"), XLSX: ("Excel", "Buku Kerja Excel (.xlsx)")}
EMPTY = "Berkas kosong."
PDF_ACTIVE = ("PDF ini memuat {what} yang dijalankan saat berkas dibuka atau diklik; berkas seperti ini tidak "
              "diterima. Cetak ulang ke PDF (Cetak, lalu Simpan sebagai PDF) dan unggah hasilnya.")
PDF_LOCKED = "PDF ini dikunci dengan kata sandi, sehingga isinya tidak dapat diperiksa. Unggah salinan tanpa kata sandi."
PDF_UNCHECKABLE = "Isi PDF ini tidak dapat diperiksa. Cetak ulang ke PDF dan unggah hasilnya."
ZIP_PART_LIES = ("Berkas ini tidak utuh: bagian “{name}” tidak sesuai dengan ukuran yang tercatat di "
                 "daftar isinya. Buka lalu simpan ulang berkasnya di Word atau Excel, kemudian unggah lagi.")

logger = logging.getLogger(__name__)


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


class _Uncheckable(Exception):
    pass


def pdf_active_content(uploaded_file) -> str | None:
    """What in the PDF would run when it is opened or clicked (in words), or None. Every object the
    document reaches is looked at through pypdf, compressed object streams included; a file pypdf
    cannot read (viewers repair many) is searched byte by byte instead. Raises ValidationError for
    a PDF that cannot be checked (locked with a password, or too large to search)."""
    uploaded_file.seek(0)
    try:
        reader = PdfReader(uploaded_file, strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise ValidationError(PDF_LOCKED, code="pdf_locked")
        found = _pdf_objects_run(reader)
    except ValidationError:
        raise
    except Exception as error:  # noqa: BLE001 - pypdf raises many kinds on a damaged file; the bytes are searched instead
        logger.info("PDF tidak terbaca oleh pypdf (%s); diperiksa per bita", type(error).__name__)
        found = None
        uploaded_file.seek(0)
        try:
            found = _pdf_bytes_run(uploaded_file.read())
        except _Uncheckable:
            raise ValidationError(PDF_UNCHECKABLE, code="pdf_uncheckable") from None
    finally:
        uploaded_file.seek(0)
    if found is None:
        # The file's own bytes too: an object outside what pypdf read (a second cross-reference
        # table a viewer may follow instead) is still in them.
        uploaded_file.seek(0)
        found = _pdf_raw_names_run(uploaded_file.read(), PDF_ACTIVE_LONG_NAMES)
        uploaded_file.seek(0)
    return found


def _pdf_objects_run(reader) -> str | None:
    stack, seen = [reader.trailer], set()
    while stack:
        item = stack.pop()
        if isinstance(item, IndirectObject):
            key = (item.idnum, item.generation)
            if key in seen:
                continue
            seen.add(key)
            if len(seen) > PDF_MAX_OBJECTS:
                raise _Uncheckable
            try:
                item = item.get_object()
            except Exception:  # noqa: BLE001 - one unreadable object: a viewer skips it too
                continue
        if isinstance(item, DictionaryObject):
            for key, what in PDF_ACTIVE_KEYS.items():
                if key in item:
                    return what
            action = item.get("/S")
            if isinstance(action, IndirectObject):
                action = action.get_object()
            if isinstance(action, str) and action in PDF_ACTIVE_ACTIONS:
                return PDF_ACTIVE_ACTIONS[action]
            if action == "/URI":
                address = item.get("/URI")
                if isinstance(address, IndirectObject):
                    address = address.get_object()
                if isinstance(address, (str, bytes)) and _is_script_address(address):
                    return SCRIPT_ADDRESS
            stack.extend(dict.values(item))
        elif isinstance(item, ArrayObject):
            stack.extend(list.__iter__(item))
    return None


def _is_script_address(address) -> bool:
    text = address.decode("latin-1") if isinstance(address, bytes) else str(address)
    # Viewers ignore the whitespace and control characters a browser would strip before the scheme.
    return re.sub(r"[\x00-\x20]+", "", text).lower().startswith("javascript:")


def _pdf_raw_names_run(data, pattern=PDF_ACTIVE_BYTES) -> str | None:
    match = pattern.search(PDF_NAME_ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), data))
    return PDF_FOUND_BY_BYTES[match.group(1) or match.group(2)] if match else None


def _pdf_bytes_run(data: bytes) -> str | None:
    found = _pdf_raw_names_run(data)
    if found:
        return found
    budget = PDF_SCAN_INFLATED_BYTES
    view = memoryview(data)
    for start in PDF_STREAM_START.finditer(data):
        inflater = zlib.decompressobj()
        pending, tail = view[start.end():], b""
        try:
            while pending and not inflater.eof:
                out = inflater.decompress(pending, READ_CHUNK)
                budget -= len(out)
                if budget < 0:
                    raise _Uncheckable
                # Scanned with the end of the piece before, so a name split between two is found.
                found = _pdf_raw_names_run(tail + out)
                if found:
                    return found
                tail, pending = out[-64:], inflater.unconsumed_tail
        except zlib.error:
            continue
    return None


def office_part_that_lies(uploaded_file) -> str | None:
    """The name of the first part of a DOCX or XLSX whose sizes in the zip's directory differ from
    what it really holds, or None. Python's zipfile stops a part at its declared size, but Word,
    Excel and other readers may inflate all there is: each part is inflated here in bounded pieces,
    never more than one piece past what its directory declares (the total was checked already)."""
    try:
        with zipfile.ZipFile(uploaded_file) as archive:
            members = archive.infolist()
        for member in members:
            try:
                agrees = _part_agrees(uploaded_file, member)
            except (OSError, EOFError, ValueError, struct.error, zlib.error):
                agrees = False
            if not agrees:
                return member.filename
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError):
        return CONTENT_TYPES_PART
    finally:
        uploaded_file.seek(0)
    return None


def _part_agrees(stream, member) -> bool:
    if member.flag_bits & 0x1 or member.compress_type not in ZIP_METHODS:
        return False
    stream.seek(member.header_offset)
    signature, name_length, extra_length = ZIP_LOCAL_HEADER.unpack(stream.read(ZIP_LOCAL_HEADER.size))
    if signature != ZIP_SIGNATURE:
        return False
    stream.seek(member.header_offset + ZIP_LOCAL_HEADER.size + name_length + extra_length)
    deflated = member.compress_type == zipfile.ZIP_DEFLATED
    inflater = zlib.decompressobj(-zlib.MAX_WBITS)
    produced = read = crc = 0
    while True:
        if deflated and inflater.unconsumed_tail:
            out = inflater.decompress(inflater.unconsumed_tail, READ_CHUNK)
        else:
            chunk = stream.read(READ_CHUNK if deflated else min(READ_CHUNK, member.compress_size - read))
            if not chunk:
                break  # the data ends: before the part does, for a deflated part
            read += len(chunk)
            out = inflater.decompress(chunk, READ_CHUNK) if deflated else chunk
        produced += len(out)
        if produced > member.file_size:
            return False
        crc = zlib.crc32(out, crc)
        if deflated and inflater.eof:
            read -= len(inflater.unused_data)
            break
    if deflated and not inflater.eof:
        return False
    return produced == member.file_size and read == member.compress_size and crc == member.CRC


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
        advice = CONVERT.get(ext)
        raise ValidationError(f"{NOT_ALLOWED} {advice}" if advice else NOT_ALLOWED, code="type")
    actual = sniff(uploaded_file)
    if actual != expected:
        if expected in OFFICE_APP and (container := compound_file(uploaded_file)):
            app, kind = OFFICE_APP[expected]
            message = OFFICE_LOCKED if container == LOCKED else OFFICE_LEGACY
            raise ValidationError(message.format(app=app, ext=ext, kind=kind), code=f"office_{container}")
        raise ValidationError(f"Isi berkas tidak sesuai dengan namanya ({ext}).", code="content")
    if actual == PDF and (what := pdf_active_content(uploaded_file)):
        raise ValidationError(PDF_ACTIVE.format(what=what), code="pdf_active")
    if actual in OFFICE_PARTS and (part := office_part_that_lies(uploaded_file)):
        raise ValidationError(ZIP_PART_LIES.format(name=part), code="archive_sizes")
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
