"""Every action page, for every user in every state: shown and working where the policy allows,
refused by URL (403 in Indonesian, or 404 where the dossier is not theirs) everywhere else."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from lib.dates import moment_text
from tests.factories import client_for
from tests.permission_matrix import CODES, EXPECTED, USERS, at_state
from workflow import demo
from workflow.actions import TRANSITION_ACTIONS, Action
from workflow.models import AuditEvent, Dossier, Skpd
from workflow.steps import STEP_BY_NUMBER, DocKind


@pytest.mark.parametrize("state", list(EXPECTED))
def test_action_pages_open_exactly_for_the_allowed(people, state):
    dossier = at_state(people, state)
    for username in USERS:
        client = client_for(people, username)
        expected = {CODES[c] for c in EXPECTED[state].get(username, "")}
        page = client.get(f"/dosier/{dossier.pk}/")
        if username == "anonymous":
            assert page.status_code == 302 and "/masuk/" in page["Location"]
            continue
        if Action.LIHAT not in expected:
            assert page.status_code == 404, username
        else:
            assert page.status_code == 200, username
            html = page.content.decode()
            for action in TRANSITION_ACTIONS:
                link = f"/dosier/{dossier.pk}/aksi/{action}/"
                assert (link in html) == (action in expected), (username, action)
        for action in TRANSITION_ACTIONS:
            status = client.get(f"/dosier/{dossier.pk}/aksi/{action}/").status_code
            if action in expected:
                assert status == 200, (username, action)
            else:
                assert status == (404 if Action.LIHAT not in expected else 403), (username, action)


def test_a_refused_post_changes_nothing_and_says_why_in_indonesian(people, walk):
    dossier = walk(STEP_BY_NUMBER[7].state)
    client = client_for(people, "staf")
    response = client.post(f"/dosier/{dossier.pk}/aksi/selesaikan/", {"revision": dossier.revision})
    assert response.status_code == 403
    assert "tidak berwenang" in response.content.decode()
    dossier.refresh_from_db()
    assert dossier.state == STEP_BY_NUMBER[7].state


def test_the_kabag_returns_with_a_note_and_the_kasubag_sees_it(people, walk):
    dossier = walk(STEP_BY_NUMBER[7].state)
    kabag = client_for(people, "kabag")
    url = f"/dosier/{dossier.pk}/aksi/kembalikan/"
    empty = kabag.post(url, {"revision": dossier.revision, "catatan": ""})
    assert "Catatan perbaikan wajib diisi" in empty.content.decode()
    done = kabag.post(url, {"revision": dossier.revision, "catatan": "Target Dinsos belum terukur"}, follow=True)
    assert "Draft dikembalikan ke Kasubag dengan catatan: Target Dinsos belum terukur" in done.content.decode()
    page = client_for(people, "kasubag").get(f"/dosier/{dossier.pk}/").content.decode()
    assert 'class="notice" role="alert"' in page and "Target Dinsos belum terukur" in page
    # The agency sees where the dossier is, not the bureau's internal notes.
    assert "Target Dinsos belum terukur" not in client_for(people, "dinkes").get(f"/dosier/{dossier.pk}/").content.decode()


def test_a_stale_form_is_refused_and_keeps_what_was_typed(people, walk):
    dossier = walk(STEP_BY_NUMBER[7].state)
    seen = dossier.revision
    demo.upload(dossier, people["kabag"], "lainnya", b"%PDF-1.4\n%%EOF\n")  # the dossier moves on meanwhile
    page = client_for(people, "kabag").post(
        f"/dosier/{dossier.pk}/aksi/kembalikan/", {"revision": seen, "catatan": "Catatan saya yang panjang"}
    )
    html = page.content.decode()
    assert page.status_code == 200
    assert "sudah berubah" in html
    assert "Catatan saya yang panjang" in html
    assert not AuditEvent.objects.filter(dossier=dossier, action=Action.KEMBALIKAN).exists()


def test_finishing_without_the_output_names_what_is_missing(people, dossier):
    page = client_for(people, "kasubag").post(f"/dosier/{dossier.pk}/aksi/selesaikan/", {"revision": dossier.revision})
    html = page.content.decode()
    assert "Kelengkapan langkah 1 belum ada: DPA SKPD" in html
    assert "Output langkah 1 belum ada: Undangan workshop" in html


def test_the_kasubag_must_tick_each_missing_agency(people, walk):
    dossier = walk(STEP_BY_NUMBER[3].state)
    demo.prepare_step(dossier, people)
    dossier.refresh_from_db()
    client = client_for(people, "kasubag")
    url = f"/dosier/{dossier.pk}/aksi/selesaikan/"
    page = client.post(url, {"revision": dossier.revision})
    assert "Centang semua SKPD yang belum mengirim" in page.content.decode()
    dikbud = Skpd.objects.get(nama_pendek="Dinas Pendidikan dan Kebudayaan")
    client.post(url, {"revision": dossier.revision, "skpd_belum_mengirim": [dikbud.pk]})
    dossier.refresh_from_db()
    assert dossier.state == STEP_BY_NUMBER[4].state
    assert dossier.events.last().data["skpd_belum_mengirim"] == ["Dinas Pendidikan dan Kebudayaan"]


def test_an_agency_sends_its_iku_table_and_can_revise_it(people, walk):
    dossier = walk(STEP_BY_NUMBER[3].state)
    client = client_for(people, "dinkes")
    url = f"/dosier/{dossier.pk}/aksi/ajukan_iku/"
    row = {
        "r-1-sasaran_strategis": "Meningkatnya derajat kesehatan", "r-1-indikator": "Angka kematian ibu",
        "r-1-penjelasan": "", "r-1-formula": "Jumlah kematian ibu / 100.000 kelahiran hidup",
        "r-1-satuan": "per 100.000 KH", "r-1-target": "150", "r-1-sumber_data": "Profil Kesehatan",
        "r-1-penanggung_jawab": "Bidang Kesmas",
    }
    form = {"revision": dossier.revision, "state": dossier.state, "catatan": ""}
    missing = client.post(url, form | row | {"r-1-indikator": ""})
    assert "Indikator kinerja utama wajib diisi." in missing.content.decode()
    assert "Bidang Kesmas" in missing.content.decode()  # what was typed is still there
    assert not dossier.submissions.exists()
    client.post(url, form | row)
    submission = dossier.submissions.get(skpd=people["dinkes"].skpd)
    assert [r.indikator for r in submission.rows.all()] == ["Angka kematian ibu"]
    again = client.get(url).content.decode()
    assert "Angka kematian ibu" in again
    second = {k.replace("r-1-", "r-2-"): v for k, v in row.items()} | {"r-2-indikator": "Angka kematian bayi"}
    client.post(url, form | row | second)
    assert [r.indikator for r in submission.rows.all()] == ["Angka kematian ibu", "Angka kematian bayi"]
    assert list(submission.versions.values_list("nomor", flat=True)) == [1, 2]


def test_the_staf_records_a_meeting_and_a_bad_date_is_explained(people, walk):
    dossier = walk(STEP_BY_NUMBER[5].state)
    client = client_for(people, "staf")
    url = f"/dosier/{dossier.pk}/aksi/catat_rapat/"
    base = {"revision": dossier.revision, "state": dossier.state, "tempat": "Aula Biro Kesra",
            "pimpinan": "Kabiro", "ringkasan": "IKU Dinkes disepakati"}
    bad = client.post(url, base | {"held_at": "kemarin"})
    assert "Waktu rapat tidak valid." in bad.content.decode()
    assert "Aula Biro Kesra" in bad.content.decode()
    # A meeting held during the step's stay, which began an hour ago.
    entered = timezone.now() - datetime.timedelta(hours=1)
    Dossier.objects.filter(pk=dossier.pk).update(state_entered_at=entered)
    held = timezone.localtime(entered + datetime.timedelta(minutes=2)).strftime("%Y-%m-%dT%H:%M")
    client.post(url, base | {"held_at": held})
    meeting = dossier.meetings.get()
    assert meeting.tempat == "Aula Biro Kesra"



def test_a_meetings_summary_typed_over_several_lines_reads_so_on_the_dossier_page(people, walk):
    # Its lines ran together: "… disepakati • Dinsos memperbaiki formula".
    dossier = walk(STEP_BY_NUMBER[5].state)
    entered = timezone.now() - datetime.timedelta(hours=1)
    Dossier.objects.filter(pk=dossier.pk).update(state_entered_at=entered)
    held = timezone.localtime(entered + datetime.timedelta(minutes=2)).strftime("%Y-%m-%dT%H:%M")
    client = client_for(people, "staf")
    client.post(f"/dosier/{dossier.pk}/aksi/catat_rapat/", {
        "revision": dossier.revision, "state": dossier.state, "tempat": "Aula Biro Kesra", "pimpinan": "Kabiro",
        "held_at": held, "ringkasan": "• IKU Dinkes disepakati\r\n• Dinsos memperbaiki formula"})
    page = client.get(f"/dosier/{dossier.pk}/").content.decode()
    assert "• IKU Dinkes disepakati<br>• Dinsos memperbaiki formula" in page

def test_an_upload_with_a_false_name_is_refused_next_to_the_field(people, dossier):
    client = client_for(people, "staf")

    fake = SimpleUploadedFile("dpa.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    page = client.post(f"/dosier/{dossier.pk}/aksi/unggah_dokumen/",
                       {"revision": dossier.revision, "state": dossier.state, "kind": "dpa", "file": fake})
    assert page.status_code == 200
    assert 'id="id_file_error"' in page.content.decode()
    assert not dossier.documents.exists()
    real = SimpleUploadedFile("dpa.pdf", b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n", content_type="application/pdf")
    client.post(f"/dosier/{dossier.pk}/aksi/unggah_dokumen/",
                {"revision": dossier.revision, "state": dossier.state, "kind": "dpa", "file": real, "keterangan": "DPA 2027"})
    assert dossier.documents.get().keterangan == "DPA 2027"


def test_the_decree_closes_the_dossier(people, walk):
    dossier = walk("di_gubernur")
    client = client_for(people, "staf")
    url = f"/dosier/{dossier.pk}/aksi/catat_penetapan/"
    bad = client.post(url, {"revision": dossier.revision, "nomor_kepgub": "", "tanggal_kepgub": "2027-13-40"})
    html = bad.content.decode()
    assert "Nomor Keputusan Gubernur wajib diisi." in html and "Tanggal tidak valid, contoh 2027-01-05 atau 05/01/2027." in html
    today = timezone.localdate()
    for day, refused in [(today + datetime.timedelta(days=1), "tidak boleh sesudah hari ini"),
                         (today - datetime.timedelta(days=400), "tidak boleh sebelum dosier dibuka")]:
        page = client.post(url, {"revision": dossier.revision, "nomor_kepgub": "188.4/55/HK/2027", "tanggal_kepgub": day})
        assert refused in page.content.decode() and 'value="188.4/55/HK/2027"' in page.content.decode()
    client.post(url, {"revision": dossier.revision, "nomor_kepgub": "188.4/55/HK/2027", "tanggal_kepgub": today})
    dossier.refresh_from_db()
    assert (dossier.state, dossier.tanggal_kepgub) == ("selesai", today)


def test_a_decree_dated_before_the_kabiro_signed_the_nota_is_refused_with_the_number_kept(people, walk):
    # The round opened a month ago; the Kabiro signed the Nota (left step 8) two days ago. A decree
    # dated ten days ago (a mistyped day or month) cannot be the Governor's signature of that draft.
    dossier = walk("di_gubernur")
    now = timezone.now()
    Dossier.objects.filter(pk=dossier.pk).update(created_at=now - datetime.timedelta(days=30))
    signed = now - datetime.timedelta(days=2)
    dossier.visits.filter(state=STEP_BY_NUMBER[8].state).update(left_at=signed)
    client = client_for(people, "staf")
    url = f"/dosier/{dossier.pk}/aksi/catat_penetapan/"
    early = timezone.localdate() - datetime.timedelta(days=10)
    page = client.post(url, {"revision": dossier.revision, "nomor_kepgub": "188.44/123/HK/2027", "tanggal_kepgub": early})
    html = page.content.decode()
    assert page.status_code == 200
    assert (f"Tanggal Keputusan Gubernur tidak boleh sebelum Kabiro menandatangani Nota Dinas ({moment_text(signed)})"
            in html)
    assert 'value="188.44/123/HK/2027"' in html
    dossier.refresh_from_db()
    assert dossier.state == "di_gubernur"
    on_the_day = timezone.localtime(signed).date()
    client.post(url, {"revision": dossier.revision, "nomor_kepgub": "188.44/123/HK/2027", "tanggal_kepgub": on_the_day})
    dossier.refresh_from_db()
    assert (dossier.state, dossier.tanggal_kepgub) == ("selesai", on_the_day)


def test_a_decree_number_typed_with_spaces_is_found_in_the_archive_as_printed(people, walk):
    # Typed from the paper with spaces around the slashes: the archive is searched later with the
    # number as the decree prints it.
    dossier = walk("di_gubernur", judul="Penetapan IKU 2027")
    client = client_for(people, "staf")
    client.post(f"/dosier/{dossier.pk}/aksi/catat_penetapan/", {
        "revision": dossier.revision, "nomor_kepgub": " 188.44 / 123 /HK/2027 ", "tanggal_kepgub": timezone.localdate()})
    dossier.refresh_from_db()
    assert (dossier.state, dossier.nomor_kepgub) == ("selesai", "188.44/123/HK/2027")
    found = client_for(people, "kasubag").get("/arsip/", {"q": "188.44/123/hk/2027"}).content.decode()
    assert f'href="/dosier/{dossier.pk}/"' in found


def test_the_decree_scan_field_says_what_it_takes_and_what_to_do_with_a_scanners_tiff(people, walk, settings):
    settings.UPLOAD_MAX_BYTES = 10 * 1024 * 1024
    dossier = walk("di_gubernur")
    client = client_for(people, "staf")
    url = f"/dosier/{dossier.pk}/aksi/catat_penetapan/"
    assert ("PDF, JPEG atau PNG dari Keputusan Gubernur yang sudah ditandatangani; paling besar 10 MB."
            in client.get(url).content.decode())
    tiff = SimpleUploadedFile("kepgub-ttd.tif", b"II*\x00" + b"\x00" * 64, content_type="image/tiff")
    page = client.post(url, {"revision": dossier.revision, "nomor_kepgub": "188.44/123/HK/2027",
                             "tanggal_kepgub": timezone.localdate(), "pindaian": tiff})
    html = page.content.decode()
    # Not the general list naming DOCX and XLSX, which the scan field refuses in turn.
    assert "Jenis berkas tidak diizinkan untuk pindaian: hanya PDF, JPEG atau PNG. Berkas TIFF dari pemindai" in html
    assert "DOCX" not in html
    assert 'value="188.44/123/HK/2027"' in html
    dossier.refresh_from_db()
    assert dossier.state == "di_gubernur"


def test_a_refused_decree_record_asks_again_by_name_for_the_scan_it_could_not_keep(people, walk):
    dossier = walk("di_gubernur")
    scan = SimpleUploadedFile("kepgub-ttd.pdf", demo.placeholder_pdf("Keputusan Gubernur"), content_type="application/pdf")
    page = client_for(people, "staf").post(f"/dosier/{dossier.pk}/aksi/catat_penetapan/", {
        "revision": dossier.revision, "nomor_kepgub": "188.4/55/HK/2027", "tanggal_kepgub": "", "pindaian": scan})
    html = page.content.decode()
    assert "Tanggal Keputusan Gubernur wajib diisi." in html and 'value="188.4/55/HK/2027"' in html
    assert ("Berkas “kepgub-ttd.pdf” yang tadi Anda pilih belum tersimpan karena formulir ini belum diterima: "
            "pilih lagi berkasnya sebelum mengirim.") in html
    assert not dossier.documents.filter(kind=DocKind.KEPGUB_PENETAPAN).exists()


def test_the_signed_decree_scan_is_kept_and_the_record_corrected_with_its_reason(people, walk):
    dossier = walk("di_gubernur")
    client = client_for(people, "staf")
    today = timezone.localdate()
    scan = SimpleUploadedFile("kepgub.pdf", demo.placeholder_pdf("Keputusan Gubernur"), content_type="application/pdf")
    closed = client.post(f"/dosier/{dossier.pk}/aksi/catat_penetapan/", {
        "revision": dossier.revision, "nomor_kepgub": "188.4/55/HK/2027", "tanggal_kepgub": today, "pindaian": scan})
    assert closed.status_code == 302
    kept = dossier.documents.get(kind=DocKind.KEPGUB_PENETAPAN)
    assert kept.original_name == "kepgub.pdf" and client.get(f"/dokumen/{kept.pk}/").status_code == 200
    # The agencies are bound by it: an invited one opens it, its page links it; the Nota stays inside.
    agency = client_for(people, "dinkes")
    assert agency.get(f"/dokumen/{kept.pk}/").status_code == 200
    assert f"/dokumen/{kept.pk}/" in agency.get(f"/dosier/{dossier.pk}/").content.decode()
    nota = dossier.documents.filter(kind=DocKind.NOTA_DINAS).first()
    assert nota is not None and agency.get(f"/dokumen/{nota.pk}/").status_code in (403, 404)

    url = f"/dosier/{dossier.pk}/aksi/koreksi_penetapan/"
    dossier.refresh_from_db()
    form = client.get(url).content.decode()
    assert 'value="188.4/55/HK/2027"' in form and 'enctype="multipart/form-data"' in form
    no_reason = client.post(url, {"revision": dossier.revision, "nomor_kepgub": "188.4/56/HK/2027",
                                  "tanggal_kepgub": today, "alasan": ""})
    assert "Alasan koreksi wajib diisi" in no_reason.content.decode()
    assert 'value="188.4/56/HK/2027"' in no_reason.content.decode()
    same = client.post(url, {"revision": dossier.revision, "nomor_kepgub": "188.4/55/HK/2027",
                             "tanggal_kepgub": today, "alasan": "Periksa"})
    assert "Tidak ada yang dikoreksi" in same.content.decode()
    picture = SimpleUploadedFile("kepgub.pdf", b"MZ\x90 bukan pdf", content_type="application/pdf")
    wrong_file = client.post(url, {"revision": dossier.revision, "nomor_kepgub": "188.4/56/HK/2027",
                                   "tanggal_kepgub": today, "alasan": "Salah ketik", "pindaian": picture})
    assert "Isi berkas tidak sesuai dengan namanya" in wrong_file.content.decode()
    done = client.post(url, {"revision": dossier.revision, "nomor_kepgub": "188.4/56/HK/2027",
                             "tanggal_kepgub": today, "alasan": "Salah ketik nomor"})
    assert done.status_code == 302
    dossier.refresh_from_db()
    assert (dossier.state, dossier.nomor_kepgub) == ("selesai", "188.4/56/HK/2027")
    event = AuditEvent.objects.filter(dossier=dossier).latest("pk")
    assert event.action == Action.KOREKSI_PENETAPAN
    assert "Nomor 188.4/55/HK/2027" in event.note and "menjadi" in event.note and "Salah ketik nomor" in event.note
    # The scan kept is listed under the corrected number, not the mistyped one.
    kept.refresh_from_db()
    assert kept.keterangan == "Nomor 188.4/56/HK/2027"
    # Only whoever records the decree corrects it.
    assert client_for(people, "kabag").post(url, {"revision": dossier.revision}).status_code == 403


def test_an_unknown_action_is_404(people, dossier):
    assert client_for(people, "kasubag").get(f"/dosier/{dossier.pk}/aksi/hapus/").status_code == 404
