"""Uploads: only PDF, JPEG, PNG, DOCX and XLSX get in, judged by content and name; downloads are
attachments under the uploader's name."""

import io
import struct
import zipfile
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from workflow.forms.uploads import (
    DOCX,
    JPEG,
    PDF,
    PNG,
    XLSX,
    DocumentUploadForm,
    clean_name,
    document_response,
    validate_upload,
)
from workflow.steps import DocKind

MB = 1024 * 1024


def pdf_bytes() -> bytes:
    return (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
    )


def png_bytes() -> bytes:
    """A real 1x1 white PNG."""

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\xff\xff")
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


def jpeg_bytes() -> bytes:
    # Start of image, a JFIF APP0 segment, end of image.
    return b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"


def office_bytes(main_part: str, main_type: str) -> bytes:
    """The same bytes at every call: each part dated alike (writestr of a name stamps the clock's
    time, and a call two seconds later made another file, which failed a comparison now and then)."""
    buffer = io.BytesIO()

    def part(name):
        return zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0))

    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            part("[Content_Types].xml"),
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/{main_part}" ContentType="{main_type}"/></Types>',
            compress_type=zipfile.ZIP_DEFLATED,
        )
        archive.writestr(part("_rels/.rels"), "<Relationships/>", compress_type=zipfile.ZIP_DEFLATED)
        archive.writestr(part(main_part), "<document/>", compress_type=zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def docx_bytes() -> bytes:
    return office_bytes(
        "word/document.xml", "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
    )


def xlsx_bytes() -> bytes:
    return office_bytes("xl/workbook.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml")


def plain_zip_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("catatan.txt", "bukan dokumen Office")
    return buffer.getvalue()


def upload(name, data):
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def refusal(name, data) -> str:
    with pytest.raises(ValidationError) as caught:
        validate_upload(upload(name, data))
    return caught.value.messages[0]


@pytest.mark.parametrize(
    "name, make, expected",
    [
        ("nota.pdf", pdf_bytes, PDF),
        ("foto.jpg", jpeg_bytes, JPEG),
        ("FOTO.JPEG", jpeg_bytes, JPEG),
        ("scan.png", png_bytes, PNG),
        ("nota dinas.docx", docx_bytes, DOCX),
        ("lampiran iku.xlsx", xlsx_bytes, XLSX),
    ],
)
def test_each_allowed_kind_is_accepted_with_its_content_type(name, make, expected):
    assert validate_upload(upload(name, make())) == expected


@pytest.mark.parametrize("name", ["setup.exe", "catatan.txt", "arsip.zip", "nota.doc", "tanpa-ekstensi"])
def test_other_kinds_of_name_are_refused(name):
    assert refusal(name, pdf_bytes()).startswith("Jenis berkas tidak diizinkan: hanya PDF, JPEG, PNG, DOCX atau XLSX.")


@pytest.mark.parametrize(
    "name, data, ext",
    [
        ("laporan.pdf", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + b"\x00" * 300, ".pdf"),
        ("nota.pdf", png_bytes(), ".pdf"),
        ("foto.png", jpeg_bytes(), ".png"),
        ("nota.docx", xlsx_bytes(), ".docx"),
        ("tabel.xlsx", docx_bytes(), ".xlsx"),
        ("nota.docx", plain_zip_bytes(), ".docx"),
        ("nota.pdf", b"hanya teks biasa", ".pdf"),
    ],
)
def test_content_that_does_not_match_the_name_is_refused(name, data, ext):
    assert refusal(name, data) == f"Isi berkas tidak sesuai dengan namanya ({ext})."


def test_a_broken_zip_named_xlsx_is_called_broken():
    assert refusal("tabel.xlsx", b"PK\x03\x04 rusak, bukan zip yang utuh") == "Berkas rusak atau bukan arsip yang dapat dibaca."


def test_a_macro_enabled_word_file_renamed_docx_is_refused():
    docm = office_bytes("word/document.xml", "application/vnd.ms-word.document.macroEnabled.main+xml")
    assert refusal("nota.docx", docm) == "Isi berkas tidak sesuai dengan namanya (.docx)."


def test_an_empty_file_is_refused():
    assert refusal("nota.pdf", b"") == "Berkas kosong."


def test_a_file_over_the_limit_is_refused_stating_both_sizes(settings):
    settings.UPLOAD_MAX_BYTES = 2 * MB
    data = pdf_bytes() + b"0" * (MB * 5 // 2 - len(pdf_bytes()))
    assert refusal("nota.pdf", data) == "Berkas terlalu besar: 2,5 MB; batasnya 2 MB."


def test_a_file_just_over_the_limit_does_not_read_as_equal_to_it(settings):
    settings.UPLOAD_MAX_BYTES = 2 * MB
    data = pdf_bytes() + b"0" * (2 * MB + 1 - len(pdf_bytes()))
    assert refusal("nota.pdf", data) == "Berkas terlalu besar: 2,1 MB; batasnya 2 MB."
    assert validate_upload(upload("nota.pdf", data[:-1])) == PDF


def test_the_default_limit_is_ten_megabytes():
    data = pdf_bytes() + b"0" * (MB * 25 // 2 - len(pdf_bytes()))
    assert refusal("nota.pdf", data) == "Berkas terlalu besar: 12,5 MB; batasnya 10 MB."


def form_for(name, data, kind=DocKind.NOTA_DINAS, kinds=(DocKind.NOTA_DINAS, DocKind.DRAFT_KEPGUB), keterangan=""):
    return DocumentUploadForm(
        {"kind": kind, "keterangan": keterangan}, {"file": upload(name, data)}, kinds=kinds
    )


def test_the_form_offers_only_the_kinds_given_and_refuses_others():
    form = form_for("nota.pdf", pdf_bytes(), kind=DocKind.UNDANGAN)
    assert [value for value, _ in form.fields["kind"].choices] == [DocKind.NOTA_DINAS, DocKind.DRAFT_KEPGUB]
    assert not form.is_valid()
    assert form.errors["kind"] == ["Jenis dokumen ini tidak dapat diunggah di sini."]


def test_the_form_shows_the_content_error_on_the_file_field():
    form = form_for("nota.pdf", png_bytes())
    assert not form.is_valid()
    assert form.errors["file"] == ["Isi berkas tidak sesuai dengan namanya (.pdf)."]


def test_the_form_refuses_an_empty_file_in_indonesian():
    form = form_for("nota.pdf", b"")
    assert not form.is_valid()
    assert form.errors["file"] == ["Berkas kosong."]


def test_the_form_tells_the_limit_before_upload(settings):
    settings.UPLOAD_MAX_BYTES = 5 * MB
    form = DocumentUploadForm(kinds=[DocKind.NOTA_DINAS])
    assert "paling besar 5 MB" in form.fields["file"].help_text
    assert form.fields["kind"].initial == DocKind.NOTA_DINAS


def test_build_document_keeps_the_users_name_without_its_folder():
    form = form_for("C:\\Users\\staf\\Nota Dinas IKU.docx", docx_bytes(), keterangan="Versi perbaikan")
    assert form.is_valid(), form.errors
    document = form.build_document(step=6)
    assert document.pk is None
    assert (document.kind, document.original_name, document.content_type) == (
        DocKind.NOTA_DINAS, "Nota Dinas IKU.docx", DOCX
    )
    assert (document.size, document.keterangan, document.step) == (len(docx_bytes()), "Versi perbaikan", 6)
    assert document.file.read() == docx_bytes()


def test_a_long_name_is_trimmed_keeping_its_extension():
    name = clean_name("a" * 300 + ".xlsx")
    assert len(name) == 255 and name.endswith("a.xlsx")


@pytest.mark.django_db
def test_a_stored_document_downloads_under_its_original_name(dossier, people):
    form = form_for("Notulen – rapat 1.pdf", pdf_bytes())
    assert form.is_valid(), form.errors
    document = form.build_document(dossier=dossier, step=1, uploaded_by=people["kasubag"])
    document.save()
    assert not document.file.name.endswith("rapat 1.pdf")

    response = document_response(document)
    assert response["Content-Type"] == PDF
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "filename*=utf-8''Notulen%20%E2%80%93%20rapat%201.pdf" in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == pdf_bytes()
    response.close()


def compound_bytes(*streams: str) -> bytes:
    """A file in Office's older container (OLE2) whose directory names `streams`."""
    directory = b"".join(name.encode("utf-16-le").ljust(64, b"\0") + b"\0" * 64 for name in streams)
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504 + directory + b"\0" * 1024


def test_a_word_or_excel_file_locked_with_a_password_is_told_so():
    # Office encrypts a DOCX or XLSX into its older container: it was "not what its name says".
    locked = compound_bytes("Root Entry", "EncryptionInfo", "EncryptedPackage")
    assert refusal("Nota Dinas.docx", locked).startswith("Berkas ini dikunci dengan kata sandi")
    assert "Buka di Excel dengan kata sandinya" in refusal("Lampiran IKU.xlsx", locked)


def test_a_word_97_file_named_docx_is_told_to_be_saved_again():
    assert refusal("surat.docx", compound_bytes("Root Entry", "WordDocument", "1Table")) == (
        "Berkas ini berformat Word 97-2003 walau namanya .docx. Buka di Word, pilih Simpan Sebagai › "
        "Dokumen Word (.docx), lalu unggah lagi.")


@pytest.mark.parametrize("name, advice", [
    ("Undangan Workshop.doc", "Simpan Sebagai › Dokumen Word (.docx) atau PDF"),
    ("DPA 2027.xls", "Simpan Sebagai › Buku Kerja Excel (.xlsx)"),
    ("IMG_1234.HEIC", "simpan ulang sebagai JPEG"),
])
def test_a_file_of_a_kind_an_office_has_is_refused_saying_how_to_convert_it(name, advice):
    message = refusal(name, compound_bytes("Root Entry"))
    assert message.startswith("Jenis berkas tidak diizinkan: hanya PDF, JPEG, PNG, DOCX atau XLSX. ")
    assert advice in message
