"""The bureau's actions through the API: each action's own form and messages, gates, a stale
If-Match, the token's name in the audit log, and reminders. Who may call which action at which
position is the generated matrix (tests/api/test_permission_matrix.py); two writes racing are
tests/api/test_write_race.py."""


import psycopg
from django.db import OperationalError

from api.models import Access
from iku.models import IkuReminder
from lib.dates import moment_text
from tests.api.helpers import as_token
from tests.api.test_write_iku import ROWS
from tests.naskah.conftest import at_signing, standin  # noqa: F401 (fixtures)
from workflow.actions import REMIND, Action
from workflow.models import AuditEvent
from workflow.steps import STEP_BY_NUMBER


def cut_off(message, error=OperationalError):
    """A stand-in that fails as a dropped connection reaches the app: Django's `error` caused by
    psycopg's, which is what sop_iku.errors.database_away reads."""
    def raise_it(*args, **kwargs):
        try:
            raise psycopg.OperationalError(message)
        except psycopg.OperationalError as cause:
            raise error(str(cause)) from cause

    return raise_it


def act(caller, dossier, action, body=None, etag=None):
    dossier.refresh_from_db()
    etag = etag or f'"{dossier.pk}-{dossier.revision}-{dossier.state}"'
    return caller.post(f"/api/v1/dosier/{dossier.pk}/aksi/{action}/", body or {}, HTTP_IF_MATCH=etag)


def test_the_kasubag_finishes_a_step_and_the_log_names_the_token(people, walk):
    from tests.factories import prepare_step

    dossier = walk(STEP_BY_NUMBER[1].state)
    prepare_step(dossier, people)
    response = act(as_token(people, "kasubag", nama="Skrip Biro"), dossier, Action.SELESAIKAN, {"catatan": "Siap"})
    assert response.status_code == 200, response.content
    assert response.json()["posisi"] == STEP_BY_NUMBER[2].state
    event = AuditEvent.objects.filter(dossier=dossier).last()
    assert event.action == Action.SELESAIKAN and event.note == "Siap" and event.data["token_api"] == "Skrip Biro"


def test_a_gate_a_form_and_a_stale_revision_answer_in_indonesian(people, walk):
    dossier = walk(STEP_BY_NUMBER[1].state)
    caller = as_token(people, "kasubag")
    gate = act(caller, dossier, Action.SELESAIKAN)
    assert gate.status_code == 400 and gate.json()["kesalahan"] and "Undangan" in gate.json()["detail"]
    at_seven = walk(STEP_BY_NUMBER[7].state)
    form = act(as_token(people, "kabag"), at_seven, Action.KEMBALIKAN, {"catatan": ""})
    assert form.status_code == 400 and form.json()["kesalahan"]["catatan"]
    seen = f'"{dossier.pk}-{dossier.revision}-{dossier.state}"'
    assert act(as_token(people, "kabiro"), dossier, Action.BATALKAN, {"alasan": "Ganda"}).status_code == 200
    late = act(caller, dossier, Action.SELESAIKAN, etag=seen)
    # The Kasubag could finish step 1 when it read the dossier: told it moved, not refused.
    assert late.status_code == 412 and "Dibatalkan" in late.json()["detail"]
    # A header sent that names no version of ours is no missing header (428): 412 with the tag to send.
    foreign = act(caller, dossier, Action.SELESAIKAN, etag="bukan-etag")
    assert foreign.status_code == 412 and "tidak berisi ETag yang diberikan API ini" in foreign.json()["detail"]


def test_a_stale_if_match_is_told_what_moved_and_what_to_send_not_of_a_page(people, walk):
    """A program was told "Dosier ini sudah berubah sejak halaman Anda dibuka", of a page it never
    opened: it is told what moved since the version its If-Match names, and to send the new ETag."""
    dossier, other = walk(STEP_BY_NUMBER[3].state), walk(STEP_BY_NUMBER[3].state)
    seen = f'"{dossier.pk}-{dossier.revision}-{dossier.state}"'
    sent = as_token(people, "dinkes").post(f"/api/v1/dosier/{dossier.pk}/iku-saya/kirim/", {"baris": ROWS},
                                           HTTP_IF_MATCH=seen)
    assert sent.status_code == 200, sent.content
    caller = as_token(people, "kasubag")
    late = act(caller, dossier, Action.SELESAIKAN, {"catatan": "x"}, etag=seen)
    assert late.status_code == 412 and late["ETag"] == f'"{dossier.pk}-{dossier.revision}-{dossier.state}"'
    again = (f"Perubahan tidak disimpan. Baca dosier lagi (GET /api/v1/dosier/{dossier.pk}/) untuk melihat yang "
             "berubah, lalu kirim lagi dengan ETag barunya di If-Match (ETag dosier sekarang ada di header jawaban ini).")
    # Still at step 3: what was done there since is named, not a move the program would look for.
    logged = AuditEvent.objects.filter(dossier=dossier, action=Action.AJUKAN_IKU).latest("pk")
    assert late.json()["detail"] == (
        f"Konsep IKU dari {people['dinkes'].skpd} sudah dikirim oleh {people['dinkes'].display_name} pada {moment_text(logged.at)} "
        f"WIB; periksa lagi sebelum menekan “{STEP_BY_NUMBER[3].action_label}”. Dosier tetap di Langkah 3: Workshop penetapan IKU. "
        f"Anda membaca revisi {dossier.revision - 1}; sekarang revisi {dossier.revision}. {again}")
    elsewhere = act(caller, dossier, Action.SELESAIKAN, {"catatan": "x"},
                    etag=f'"{other.pk}-{other.revision}-{other.state}"')
    assert elsewhere.status_code == 412 and elsewhere.json()["detail"] == (
        f"If-Match Anda berisi ETag dosier {other.pk}, bukan dosier ini ({dossier.pk}): sekarang revisi "
        f"{dossier.revision}, di Langkah 3: Workshop penetapan IKU. {again}")


def test_a_read_only_token_changes_nothing(people, walk):
    dossier = walk(STEP_BY_NUMBER[4].state)
    response = act(as_token(people, "kabiro", Access.READ), dossier, Action.BATALKAN, {"alasan": "Uji"})
    assert response.status_code == 403
    dossier.refresh_from_db()
    assert dossier.state == STEP_BY_NUMBER[4].state


def test_the_kasubag_reminds_the_missing_agencies_once_a_day(people, walk):
    dossier = walk(STEP_BY_NUMBER[3].state)
    url = f"/api/v1/dosier/{dossier.pk}/ingatkan/"
    first = as_token(people, "kasubag").post(url).json()
    assert "Dinas Kesehatan" in first["diingatkan"]
    again = as_token(people, "kabiro").post(url).json()
    assert again["diingatkan"] == [] and set(again["sudah_diingatkan_hari_ini"]) == set(first["diingatkan"])
    assert as_token(people, "staf").post(url).status_code == 403
    assert IkuReminder.objects.filter(dossier=dossier).count() == len(first["diingatkan"])
    (logged,) = AuditEvent.objects.filter(dossier=dossier, action=REMIND)
    assert "Dinas Kesehatan" in logged.note and logged.data["token_api"] == "Uji" and logged.actor == people["kasubag"]


def test_a_database_too_busy_to_take_the_write_is_a_503_to_send_again_not_a_500(people, walk, monkeypatch):
    from workflow import services

    dossier = walk(STEP_BY_NUMBER[7].state)
    events = dossier.events.count()

    def busy(*args, **kwargs):
        raise OperationalError("canceling statement due to lock timeout")

    monkeypatch.setattr(services, "perform", busy)
    response = act(as_token(people, "kabag"), dossier, Action.KEMBALIKAN, {"catatan": "Perbaiki"})
    assert response.status_code == 503 and int(response["Retry-After"]) > 0
    assert "sibuk" in response.json()["detail"] and "belum disimpan" in response.json()["detail"]
    dossier.refresh_from_db()
    assert dossier.state == STEP_BY_NUMBER[7].state and dossier.events.count() == events


def test_finishing_a_round_names_the_agencies_that_have_nobody_to_send(people, walk):
    """Refused while Dinas Pendidikan dan Kebudayaan has not sent, the caller read it as one to wait
    for; nobody acts for it: it is named so, as the page's box is, and can be recorded as not sent."""
    from tests.factories import prepare_step

    dossier = walk(STEP_BY_NUMBER[3].state)
    prepare_step(dossier, people)
    caller = as_token(people, "kasubag")
    refused = act(caller, dossier, Action.SELESAIKAN, {"catatan": "x"})
    absent = dossier.invited.get(nama_pendek="Dinas Pendidikan dan Kebudayaan")
    assert refused.status_code == 400
    # A program has no box to tick: it is told the field and the numbers to send in it.
    assert refused.json()["kesalahan"]["skpd_belum_mengirim"] == [
        "skpd_belum_mengirim harus memuat nomor setiap SKPD yang belum mengirim untuk melanjutkan tanpa kiriman "
        f"mereka; belum disebut: {absent.pk} (Dinas Pendidikan dan Kebudayaan, belum ada petugas)."]
    sent = dossier.invited.get(nama_pendek="Dinas Kesehatan")
    wrong = act(caller, dossier, Action.SELESAIKAN, {"catatan": "x", "skpd_belum_mengirim": [sent.pk]})
    assert wrong.status_code == 400 and wrong.json()["kesalahan"]["skpd_belum_mengirim"] == [
        f"SKPD nomor {sent.pk} tidak termasuk SKPD undangan yang belum mengirim (sudah mengirim, atau tidak diundang)."]
    done = act(caller, dossier, Action.SELESAIKAN, {"catatan": "x", "skpd_belum_mengirim": [absent.pk]})
    assert done.status_code == 200, done.content


def test_a_kabiro_signing_through_a_program_while_bsre_is_down_is_told_the_fields_not_a_box(
        people, at_signing, standin):  # noqa: F811
    """The fallback's hint said "centang «BSrE tidak dapat dihubungi»" to a program, which has no box:
    it is told the fields that sign with the local certificate, and they do."""
    from naskah.models import SigningMethod
    from tests.naskah.conftest import NIK, PASSPHRASE
    from workflow.demo import DEMO_PASSWORD

    SigningMethod.objects.filter(pejabat=people["kabiro"]).update(cadangan_lokal=True)
    standin.mode = "mati"
    caller = as_token(people, "kabiro")
    refused = act(caller, at_signing, Action.SELESAIKAN, {"catatan": "Setuju", "nik": NIK, "passphrase": PASSPHRASE})
    assert refused.status_code == 400
    said = " ".join(refused.json()["kesalahan"]["__all__"])
    assert "tidak dapat dihubungi" in said and "centang" not in said.lower()
    assert "kirim lagi dengan pakai_sertifikat_lokal true dan kata_sandi" in said
    done = act(caller, at_signing, Action.SELESAIKAN,
               {"catatan": "Setuju", "pakai_sertifikat_lokal": True, "kata_sandi": DEMO_PASSWORD})
    assert done.status_code == 200, done.content


def test_a_write_that_loses_the_database_says_it_may_have_landed_and_to_send_the_same_key_again(people, walk, monkeypatch):
    """A failover met in the middle of a write: the program is not told the change was not saved,
    which may be untrue, but to send it again with the same Idempotency-Key."""
    from workflow import services

    dossier = walk(STEP_BY_NUMBER[7].state)
    monkeypatch.setattr(services, "perform", cut_off("consuming input failed: server closed the connection unexpectedly"))
    response = as_token(people, "kabag").post(
        f"/api/v1/dosier/{dossier.pk}/aksi/{Action.KEMBALIKAN}/", {"catatan": "Perbaiki"},
        HTTP_IF_MATCH=f'"{dossier.pk}-{dossier.revision}-{dossier.state}"', HTTP_IDEMPOTENCY_KEY="kembalikan-0000000001")
    assert response.status_code == 503 and int(response["Retry-After"]) > 0
    said = response.json()["detail"]
    assert "mungkin belum disimpan" in said and "Idempotency-Key yang sama" in said and "sibuk" not in said


def test_a_busy_database_tells_a_read_to_ask_again_and_a_write_what_to_send_again(people, walk, monkeypatch):
    """A read that met a busy database (its token's quota is counted in it on every request) was told
    "perubahan Anda belum disimpan", of a change it never asked; a write "Kirim lagi sebentar lagi",
    not what to send; one the database dropped mid-write without a key, to send it again with "the
    same Idempotency-Key" it never had."""
    from api import auth
    from workflow import services

    dossier = walk(STEP_BY_NUMBER[7].state)
    caller = as_token(people, "kabag")
    admit = auth.admit

    def busy(*args, **kwargs):
        raise OperationalError("database is locked")

    monkeypatch.setattr(auth, "admit", busy)
    read = caller.get(f"/api/v1/dosier/{dossier.pk}/")
    assert read.status_code == 503 and read["Retry-After"] == "5"
    assert read.json()["detail"] == ("Basis data sedang sibuk, jadi permintaan ini belum dapat dijawab; tidak ada yang "
                                     "berubah. Minta lagi sesudah Retry-After (5 detik).")
    monkeypatch.setattr(auth, "admit", admit)
    monkeypatch.setattr(services, "perform", busy)
    write = act(caller, dossier, Action.KEMBALIKAN, {"catatan": "Perbaiki"})
    assert write.status_code == 503 and write.json()["detail"] == (
        "Basis data sedang sibuk menyimpan perubahan lain, jadi perubahan Anda belum disimpan. Kirim lagi permintaan "
        "yang sama persis (If-Match dan Idempotency-Key, bila ada, tetap sama) sesudah Retry-After (5 detik).")

    monkeypatch.setattr(services, "perform", cut_off("server closed the connection unexpectedly"))
    unkeyed = act(caller, dossier, Action.KEMBALIKAN, {"catatan": "Perbaiki"})
    assert unkeyed.status_code == 503 and unkeyed.json()["detail"] == (
        "Basis data sedang tidak terjangkau, jadi perubahan Anda mungkin belum disimpan, mungkin juga sudah. "
        f"Permintaan ini tanpa Idempotency-Key: sesudah Retry-After baca lagi dosiernya (GET /api/v1/dosier/{dossier.pk}/) "
        "untuk melihat apakah sudah tercatat, dan kirim lagi hanya bila belum. Sertakan Idempotency-Key pada setiap "
        "penulisan: dengan kunci yang sama, kiriman ulang tercatat sekali.")
    dossier.refresh_from_db()
    assert dossier.state == STEP_BY_NUMBER[7].state


def test_a_wrong_database_password_is_no_failover_to_wait_out_and_is_mailed_to_the_admins(
        people, walk, monkeypatch, settings, mailoutbox, caplog):
    """PostgreSQL refusing DATABASE_URL's password: a program was told the database was away for a few
    seconds and to ask again after Retry-After, for good, and the journal said a warning."""
    from api import auth

    settings.ADMINS = [("Admin", "admin@example.org")]
    dossier = walk(STEP_BY_NUMBER[7].state)
    caller = as_token(people, "kabag")
    monkeypatch.setattr(auth, "admit", cut_off('connection failed: connection to server at "127.0.0.1", port 5432 '
                                               'failed: FATAL:  password authentication failed for user "sopiku_app"'))
    read = caller.get(f"/api/v1/dosier/{dossier.pk}/")
    assert read.status_code == 503 and not read.has_header("Retry-After")
    assert read.json()["detail"] == (
        "Aplikasi tidak dapat tersambung ke basis datanya karena pengaturan sambungannya keliru, jadi permintaan ini "
        "belum dapat dijawab dan tidak ada yang berubah. Mengirim lagi tidak akan menolong sampai admin "
        "memperbaikinya. Admin aplikasi sudah diberi tahu lewat surel.")
    assert not [r for r in caplog.records if r.levelname == "WARNING"], caplog.text
    assert len(mailoutbox) == 1 and "kata sandi di DATABASE_URL" in mailoutbox[0].subject


def test_an_action_no_longer_at_hand_points_a_program_at_the_dossiers_address_not_its_page(people, walk):
    """The Kabag returning a draft the dossier no longer holds (sent on already, read anew) was told
    "Lihat halaman dosier untuk posisinya sekarang", of a page a program has not; the page still is."""
    dossier = walk(STEP_BY_NUMBER[4].state)
    refused = act(as_token(people, "kabag"), dossier, Action.KEMBALIKAN, {"catatan": "Perbaiki"})
    assert refused.status_code == 403 and refused.json()["detail"] == (
        "Mengembalikan ke Kasubag tidak tersedia pada posisi “Langkah 4: Surat ke SKPD untuk menyusun IKU”: dosier sudah "
        f"berpindah, atau tindakan ini sudah dilakukan. Baca dosier lagi (GET /api/v1/dosier/{dossier.pk}/) untuk "
        "posisinya sekarang.")
    from tests.factories import client_for

    dossier.refresh_from_db()
    page = client_for(people, "kabag").post(f"/dosier/{dossier.pk}/aksi/{Action.KEMBALIKAN}/", {
        "catatan": "Perbaiki", "revision": dossier.revision, "state": dossier.state})
    assert page.status_code == 403 and "Lihat halaman dosier untuk posisinya sekarang." in page.content.decode()


def test_a_failure_nobody_foresaw_is_answered_in_json_saying_what_to_send_again_not_the_sites_page(
        people, walk, monkeypatch):
    """A bug or a broken disk under a write (or a read) ended at the site's 500 page: HTML, offering
    its form to send again, to a program that reads JSON. It is told, in JSON, what to send again and
    the request's number to quote; a database gone as an InterfaceError (a connection already closed
    by a failover) is the 503 to send again with the key, as an OperationalError's is."""
    from django.db import InterfaceError

    from api import views_dossiers
    from workflow import services

    dossier = walk(STEP_BY_NUMBER[7].state)
    caller = as_token(people, "kabag")
    address = f"/api/v1/dosier/{dossier.pk}/aksi/{Action.KEMBALIKAN}/"
    tag = f'"{dossier.pk}-{dossier.revision}-{dossier.state}"'

    def broken(*args, **kwargs):
        raise RuntimeError("uji")

    monkeypatch.setattr(views_dossiers, "content_tag", broken)
    read = caller.get(f"/api/v1/dosier/{dossier.pk}/", HTTP_X_REQUEST_ID="uji0000000000002")
    assert read.status_code == 500 and read.json()["detail"] == (
        "Terjadi kesalahan pada server, jadi permintaan ini belum dapat dijawab; tidak ada yang berubah. Minta lagi "
        "sebentar lagi; bila terulang, hubungi admin Biro dengan nomor permintaan uji0000000000002 (header X-Request-ID).")

    monkeypatch.setattr(services, "perform", cut_off("the connection is closed", InterfaceError))
    away = caller.post(address, {"catatan": "Perbaiki"}, HTTP_IF_MATCH=tag, HTTP_IDEMPOTENCY_KEY="kembalikan-0000000002")
    assert away.status_code == 503, away.content
    assert away["Retry-After"] == "5" and away.json()["detail"] == (
        "Basis data sedang tidak terjangkau, jadi perubahan Anda mungkin belum disimpan. Kirim lagi sebentar lagi "
        "dengan Idempotency-Key yang sama: yang sudah tercatat tidak dicatat dua kali.")
    dossier.refresh_from_db()
    assert dossier.state == STEP_BY_NUMBER[7].state
    # Last: the fault refuses the request's first write (its token's last use), which leaves the test's
    # own transaction unusable for any request after it.
    monkeypatch.undo()
    failed = caller.post(address, {"catatan": "Perbaiki"}, HTTP_IF_MATCH=tag, HTTP_X_SOP_UJI_GAGAL="1",
                         HTTP_X_REQUEST_ID="uji0000000000001")
    assert failed.status_code == 500 and failed["Content-Type"] == "application/json"
    assert failed.json() == {"detail": (
        "Terjadi kesalahan pada server, jadi perubahan Anda mungkin belum disimpan. Permintaan ini tanpa "
        f"Idempotency-Key: baca lagi dosiernya (GET /api/v1/dosier/{dossier.pk}/) untuk melihat apakah sudah "
        "tercatat, dan kirim lagi hanya bila belum. Bila terulang, hubungi admin Biro dengan nomor permintaan "
        "uji0000000000001 (header X-Request-ID).")}



def test_a_missing_document_is_said_to_be_uploaded_on_the_dossiers_page_not_through_the_api(people, walk):
    """Finishing step 1 without its papers told a program "Unggah dokumen ini terlebih dahulu", and
    it looked for an upload in the API, which takes no file: it is told where; the page says as before."""
    dossier = walk(STEP_BY_NUMBER[1].state)
    gate = act(as_token(people, "kasubag"), dossier, Action.SELESAIKAN, {"catatan": "x"})
    assert gate.status_code == 400
    page = f"http://testserver/dosier/{dossier.pk}/"
    assert gate.json()["kesalahan"][:2] == [
        f"Kelengkapan langkah 1 belum ada: DPA SKPD. Unggah dokumen ini terlebih dahulu di halaman dosier ({page}): "
        "API tidak menerima berkas.",
        "Kelengkapan langkah 1 belum ada: Kepgub tentang workshop penetapan IKU. Unggah dokumen ini terlebih dahulu di "
        f"halaman dosier ({page}): API tidak menerima berkas."]
    assert gate.json()["kesalahan"][2] == (
        "Output langkah 1 belum ada: Undangan workshop. Unggah atau buat dokumen ini terlebih dahulu di halaman dosier "
        f"({page}): API tidak menerima atau membuat berkas.")
