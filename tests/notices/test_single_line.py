"""A line break in a text that reaches an e-mail's Subject would make every hand-off e-mail of its
dossier fail (BadHeaderError): titles are refused with one, and the mail folds whatever old row
still holds one, so every hand-off is told."""

import pytest
from django.core import mail
from django.test import Client

from notices.handoff import deliver
from notices.models import Notice
from tests import task_backends
from tests.factories import client_for
from tests.notices.test_handoff import finish
from workflow.models import Dossier, Skpd
from workflow.steps import STEP_BY_NUMBER

QUEUE = task_backends.DATABASE
BROKEN = "Penetapan IKU 2027\r\nBcc: semua@example.go.id"


def test_a_title_with_a_line_break_is_refused_at_the_field_as_typed(people):
    response = client_for(people, "kasubag").post("/dosier/baru/", {
        "tahun": 2031, "judul": BROKEN, "invited": [Skpd.objects.get(nama_pendek="Dinas Kesehatan").pk],
    })
    assert response.status_code == 200 and not Dossier.objects.exists()
    form = response.context["form"]
    assert form.errors["judul"] == ["Judul harus satu baris: hapus ganti baris (Enter) di dalamnya."]
    page = response.content.decode()
    at_field = page.split('id="id_judul_error"', 1)[1].split("</ul>", 1)[0]
    assert "Judul harus satu baris: hapus ganti baris (Enter) di dalamnya." in at_field
    assert "Penetapan IKU 2027\r\nBcc: semua@example.go.id" in form["judul"].value()
    assert "Bcc: semua@example.go.id" in page  # what was typed is there to correct


@pytest.mark.parametrize("title", ["Satu\nDua", "Satu\rDua", "Satu\u2028Dua", "Satu\x0bDua"])
def test_every_kind_of_line_break_is_refused_and_the_model_says_so_too(people, title):
    from django.core.exceptions import ValidationError

    from workflow.forms import DossierCreateForm

    form = DossierCreateForm({"tahun": 2031, "judul": title,
                              "invited": [Skpd.objects.get(nama_pendek="Dinas Kesehatan").pk]})
    assert not form.is_valid() and "judul" in form.errors
    dossier = Dossier(tahun=2031, judul=title, created_by=people["kasubag"])
    with pytest.raises(ValidationError) as refused:
        dossier.clean()
    assert "judul" in refused.value.message_dict


def test_an_agency_name_with_a_line_break_is_refused_in_the_admin(people):
    skpd = Skpd.objects.get(nama_pendek="Dinas Kesehatan")
    admin = Client()
    admin.force_login(people["admin"])
    response = admin.post(f"/admin/workflow/skpd/{skpd.pk}/change/", {
        "nama": skpd.nama, "nama_pendek": "Dinas\nKesehatan", "singkatan": skpd.singkatan, "kind": skpd.kind,
        "aktif": "on",
    })
    assert response.status_code == 200
    assert "Nama pendek harus satu baris" in response.content.decode()
    skpd.refresh_from_db()
    assert skpd.nama_pendek == "Dinas Kesehatan"


def test_an_old_title_with_a_line_break_still_gets_its_hand_offs_mailed(people, walk):
    dossier = walk(STEP_BY_NUMBER[6].state)
    # Written before titles were checked.
    Dossier.objects.filter(pk=dossier.pk).update(judul=BROKEN)
    event = finish(dossier, people, "kasubag")
    mail.outbox = []
    assert deliver(event.pk) >= 1
    (sent,) = [m for m in mail.outbox if m.to == ["kabag@example.go.id"]]
    assert sent.subject.startswith("Penetapan IKU 2027 Bcc: semua@example.go.id: ")
    assert sent.bcc == [] and "\n" not in sent.message()["Subject"]
    assert not Notice.objects.filter(event=event, emailed_at__isnull=True, recipient__email__gt="").exists()


def test_a_notice_stored_with_a_line_break_is_mailed_on_the_retry(people, walk):
    dossier = walk(STEP_BY_NUMBER[6].state)
    event = finish(dossier, people, "kasubag")
    notice = Notice.objects.create(recipient=people["kabiro"], event=event, dossier=dossier,
                                   judul="Lama\nsekali", isi="Isi", created_at=event.at)
    mail.outbox = []
    deliver(event.pk)
    assert [m.subject for m in mail.outbox if m.to == ["kabiro@example.go.id"]] == ["Lama sekali"]
    notice.refresh_from_db()
    assert notice.emailed_at is not None


def test_a_disposisi_of_several_lines_is_told_in_a_one_line_subject(people, walk, django_capture_on_commit_callbacks):
    from workflow import dispositions

    dossier = walk(STEP_BY_NUMBER[1].state)
    mail.outbox = []
    with django_capture_on_commit_callbacks(execute=True):
        dispositions.give(dossier, people["kasubag"], assigned_to=people["staf"],
                          instruksi="Siapkan daftar hadir.\nCetak dua rangkap.", waktu_amount=1, waktu_unit="hari")
    (sent,) = [m for m in mail.outbox if m.to == ["staf@example.go.id"]]
    assert "Disposisi: Siapkan daftar hadir. Cetak dua rangkap." in sent.subject
