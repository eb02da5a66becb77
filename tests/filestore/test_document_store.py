"""Documents in the database (filestore): a file and its record are kept together or not at all,
what is stored reads back byte for byte, and an older install's files move in with `migrate`."""

import hashlib
import importlib
import io

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import transaction

from filestore.models import StoredFile
from workflow.models import Document

PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n"


def document(dossier, user):
    return Document(dossier=dossier, step=1, kind="lainnya", original_name="dpa.pdf", content_type="application/pdf",
                    size=len(PDF), uploaded_by=user)


def test_a_crash_after_the_file_was_written_leaves_neither_file_nor_record(people, dossier):
    with pytest.raises(RuntimeError), transaction.atomic():
        kept = document(dossier, people["kasubag"])
        kept.file.save("dpa.pdf", ContentFile(PDF))
        assert StoredFile.objects.filter(name=kept.file.name).exists()
        raise RuntimeError("the worker is killed before the commit")
    assert not StoredFile.objects.exists() and not Document.objects.filter(original_name="dpa.pdf").exists()


def test_a_stored_document_reads_back_the_same_bytes_and_a_taken_name_gets_another(people, dossier):
    kept = document(dossier, people["kasubag"])
    kept.file.save("dpa.pdf", ContentFile(PDF))
    again = Document.objects.get(pk=kept.pk)
    with again.file.open("rb") as stored:
        assert stored.read() == PDF
    assert again.file.size == len(PDF)
    assert StoredFile.objects.get(name=kept.file.name).sha256 == hashlib.sha256(PDF).hexdigest()
    first = default_storage.save("halaman/abc/1.png", ContentFile(b"one"))
    second = default_storage.save("halaman/abc/1.png", ContentFile(b"two"))
    assert first == "halaman/abc/1.png" and second != first
    assert default_storage.listdir("halaman") == (["abc"], [])
    assert sorted(default_storage.listdir("halaman/abc")[1]) == sorted([first.rsplit("/", 1)[1], second.rsplit("/", 1)[1]])
    default_storage.delete(first)
    assert not default_storage.exists(first) and default_storage.open(second).read() == b"two"
    with pytest.raises(FileNotFoundError):
        default_storage.open(first)


def test_an_older_installs_files_move_into_the_database(people, dossier, settings):
    folder = settings.MEDIA_ROOT / "dokumen" / str(dossier.pk)
    folder.mkdir(parents=True)
    (folder / "lama.pdf").write_bytes(PDF)
    (settings.MEDIA_ROOT / "tak-dirujuk.pdf").write_bytes(PDF)  # no row names it: left on disk
    old = document(dossier, people["kasubag"])
    old.file.name = f"dokumen/{dossier.pk}/lama.pdf"
    old.save()
    importlib.import_module("filestore.migrations.0002_move_media_files").move_in(apps, None)
    assert list(StoredFile.objects.values_list("name", flat=True)) == [old.file.name]
    with Document.objects.get(pk=old.pk).file.open("rb") as moved:
        assert moved.read() == PDF


def test_a_file_the_previous_release_wrote_during_the_upgrade_is_served_then_moved_in(people, dossier, settings):
    # The previous release, still serving beside this one after `migrate`, saved an upload on disk.
    folder = settings.MEDIA_ROOT / "dokumen" / str(dossier.pk)
    folder.mkdir(parents=True)
    (folder / "selama-upgrade.pdf").write_bytes(PDF)
    late = document(dossier, people["kasubag"])
    late.file.name = f"dokumen/{dossier.pk}/selama-upgrade.pdf"
    late.save()
    with Document.objects.get(pk=late.pk).file.open("rb") as read:
        assert read.read() == PDF
    assert late.file.size == len(PDF) and default_storage.exists(late.file.name)
    # Its name stays taken; a path out of MEDIA_ROOT is never read.
    assert default_storage.get_available_name(late.file.name) != late.file.name
    (settings.MEDIA_ROOT.parent / "di-luar.pdf").write_bytes(PDF)
    with pytest.raises(FileNotFoundError):
        default_storage.open("../di-luar.pdf")
    out = io.StringIO()
    call_command("move_media_files", stdout=out)
    assert out.getvalue().startswith("1 berkas")
    (folder / "selama-upgrade.pdf").unlink()
    with Document.objects.get(pk=late.pk).file.open("rb") as moved:
        assert moved.read() == PDF
    call_command("move_media_files", stdout=out)
    assert out.getvalue().endswith("0 berkas dipindahkan ke basis data.\n")
