"""Hostile uploads: a zip bomb dressed as DOCX or XLSX, a polyglot, an endless name; each refused
(or tamed) in Indonesian beside the field, nothing kept on refusal."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.factories import client_for

PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n"


def office(main_part: str, main_type: bytes, extra: dict | None = None) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", b'<Types><Override ContentType="application/vnd.openxmlformats-officedocument.'
                         + main_type + b'"/></Types>')
        archive.writestr(main_part, b"<x/>")
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return out.getvalue()


def post(people, dossier, name, data):
    upload = SimpleUploadedFile(name, data, content_type="application/octet-stream")
    return client_for(people, "staf").post(
        f"/dosier/{dossier.pk}/aksi/unggah_dokumen/",
        {"revision": dossier.revision, "state": dossier.state, "kind": "lainnya", "file": upload},
    )


@pytest.mark.parametrize("name, main_part, main_type", [
    ("surat.docx", "word/document.xml", b"wordprocessingml.document.main+xml"),
    ("tabel.xlsx", "xl/workbook.xml", b"spreadsheetml.sheet.main+xml"),
])
def test_a_zip_bomb_dressed_as_an_office_file_is_refused_before_it_is_kept(people, dossier, name, main_part, main_type):
    bomb = office(main_part, main_type, {"word/media/isi.bin": b"\0" * (300 * 1024 * 1024)})
    assert len(bomb) < 1024 * 1024  # a small upload...
    page = post(people, dossier, name, bomb).content.decode()
    assert "Isi berkas terlalu besar setelah dibuka" in page or "zip bomb" in page
    assert not dossier.documents.exists()


def test_a_real_office_file_still_passes(people, dossier):
    response = post(people, dossier, "surat.docx", office("word/document.xml", b"wordprocessingml.document.main+xml"))
    assert response.status_code == 302 and dossier.documents.count() == 1


def test_a_pdf_that_is_also_a_zip_is_judged_by_its_start(people, dossier):
    polyglot = PDF + office("word/document.xml", b"wordprocessingml.document.main+xml")
    assert "Isi berkas tidak sesuai dengan namanya (.docx)." in post(people, dossier, "surat.docx", polyglot).content.decode()
    assert post(people, dossier, "surat.pdf", polyglot).status_code == 302
    document = dossier.documents.get()
    assert document.content_type == "application/pdf"  # and it is only ever served as a download


def test_an_endless_file_name_is_kept_short_with_its_extension(people, dossier):
    post(people, dossier, "laporan " * 60 + ".pdf", PDF)
    document = dossier.documents.get()
    assert len(document.original_name) <= 255 and document.original_name.endswith(".pdf")


def test_files_no_row_refers_to_are_removed_once_old_enough(people, dossier, capsys):
    import datetime

    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage
    from django.core.management import call_command
    from django.utils import timezone

    from filestore.models import StoredFile

    post(people, dossier, "dpa.pdf", PDF)
    kept = dossier.documents.get().file.name
    orphan = default_storage.save("dokumen/sisa-unggahan.pdf", ContentFile(PDF))
    fresh = default_storage.save("dokumen/sedang-diunggah.pdf", ContentFile(PDF))
    StoredFile.objects.exclude(name=fresh).update(created_at=timezone.now() - datetime.timedelta(hours=2))
    call_command("remove_orphan_files", "--dry-run")
    assert default_storage.exists(orphan) and "akan dihapus: dokumen/sisa-unggahan.pdf" in capsys.readouterr().out
    call_command("remove_orphan_files")
    assert not default_storage.exists(orphan) and default_storage.exists(fresh) and default_storage.exists(kept)
