"""With DEBUG off (as served), every error is an Indonesian page of the app, never Django's English."""

import html
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings

PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n"
ENGLISH = ["Resolver404", "Bad Request", "No Dossier matches", "Server Error", "Traceback"]


def english_free(body: str):
    for word in ENGLISH:
        assert word not in body


@pytest.fixture
def served(settings):
    settings.DEBUG = False
    return Client(raise_request_exception=False)


def test_an_unknown_url_shows_the_indonesian_404(served, people):
    served.force_login(people["kasubag"])
    page = served.get("/tidak-ada-halaman-ini/")
    assert page.status_code == 404
    body = page.content.decode()
    assert "Halaman tidak ditemukan" in body
    english_free(body)


def test_an_unknown_dossier_does_not_print_the_model_name(served, people):
    served.force_login(people["kasubag"])
    page = served.get("/dosier/999999/")
    assert page.status_code == 404
    english_free(page.content.decode())


@pytest.mark.parametrize("charset", ["iso-8859-1", "utf-16", "x-bukan-charset"])
def test_a_form_declaring_an_odd_charset_gets_a_page_not_a_server_error(served, people, charset):
    served.force_login(people["kasubag"])
    # generic() sends the bytes as they are; post() would itself try to encode in that charset.
    page = served.generic(
        "POST", "/dosier/baru/", data=b"judul=%E9t%E9&tahun=2027",
        content_type=f"application/x-www-form-urlencoded; charset={charset}",
    )
    assert page.status_code == 400
    assert "tidak dapat dibaca" in page.content.decode()


def test_a_file_name_over_255_characters_is_kept_shortened_not_a_bad_request(served, people, dossier):
    served.force_login(people["staf"])
    page = served.post(
        f"/dosier/{dossier.pk}/aksi/unggah_dokumen/",
        {"revision": dossier.revision, "state": dossier.state, "kind": "dpa", "keterangan": "DPA 2027",
         "file": SimpleUploadedFile("a" * 300 + ".pdf", PDF, content_type="application/pdf")},
    )
    assert page.status_code in (200, 302)
    english_free(page.content.decode())
    stored = dossier.documents.get(kind="dpa")
    assert len(stored.original_name) <= 255 and stored.original_name.endswith(".pdf")
    assert served.get(f"/dosier/{dossier.pk}/").status_code == 200


@override_settings(ROOT_URLCONF="tests.security.failing_urls")
def test_a_server_error_is_the_indonesian_500_page(served, people):
    served.force_login(people["kasubag"])
    page = served.get("/gagal/")
    assert page.status_code == 500
    body = page.content.decode()
    assert "Terjadi kesalahan pada server" in body
    english_free(body)


@override_settings(ROOT_URLCONF="tests.security.failing_urls")
def test_a_request_cut_off_by_the_database_going_away_is_told_to_retry_with_its_form_given_back(served, people, dossier):
    served.force_login(people["kasubag"])
    page = served.post(f"/dosier/{dossier.pk}/putus/", {"instruksi": "Siapkan bahan rapat"})
    assert page.status_code == 503 and page["Retry-After"] == "5"
    body = page.content.decode()
    assert "Basis data sedang tidak terjangkau" in body and "Isian Anda mungkin belum tersimpan" in body
    assert "Siapkan bahan rapat" in body
    english_free(body)


@override_settings(ROOT_URLCONF="tests.security.failing_urls", ADMINS=[("Admin", "admin@example.org")])
def test_a_wrong_database_password_tells_the_admins_and_no_user_to_try_again(served, people, dossier, mailoutbox, caplog):
    served.force_login(people["kasubag"])
    page = served.post(f"/dosier/{dossier.pk}/ditolak/", {"instruksi": "Siapkan bahan rapat"},
                       HTTP_ORIGIN="http://testserver", HTTP_REFERER=f"http://testserver/dosier/{dossier.pk}/")
    assert page.status_code == 503 and not page.has_header("Retry-After")
    body = html.unescape(page.content.decode())
    assert "Aplikasi tidak dapat tersambung ke basis datanya" in body and "Admin aplikasi sudah diberi tahu" in body
    assert "mencoba lagi tidak akan menolong" in body and "Coba lagi sebentar lagi" not in body
    assert "Siapkan bahan rapat" in body and "Kirim lagi</button>" not in body  # to copy: sending it now fails again
    english_free(body)
    # One error, mailed once, saying what to check; not the failover's "try again".
    errors = [r for r in caplog.records if r.levelname == "ERROR" and r.name == "django.request"]
    assert len(errors) == 1 and "kata sandi di DATABASE_URL" in errors[0].getMessage(), caplog.text
    assert len(mailoutbox) == 1 and "kata sandi di DATABASE_URL" in mailoutbox[0].subject + mailoutbox[0].body
    assert mailoutbox[0].to == ["admin@example.org"]


@override_settings(ROOT_URLCONF="tests.security.failing_urls")
def test_without_admins_to_mail_the_page_asks_the_user_to_tell_the_bureau(served, people, dossier):
    served.force_login(people["kasubag"])
    body = html.unescape(served.get(f"/dosier/{dossier.pk}/ditolak/").content.decode())
    assert "tercatat di log server: beri tahu admin Biro" in body and "sudah diberi tahu" not in body


def test_only_postgresql_losing_its_connection_counts_as_the_database_away():
    import psycopg
    from django.db import OperationalError

    from sop_iku.errors import database_away

    def raised(cause):
        try:
            raise OperationalError(str(cause)) from cause
        except OperationalError as error:
            return error

    assert database_away(raised(psycopg.OperationalError("connection failed: Connection refused")))
    assert database_away(raised(psycopg.errors.AdminShutdown("terminating connection due to administrator command")))
    assert not database_away(raised(psycopg.errors.LockNotAvailable("canceling statement due to lock timeout")))
    assert not database_away(raised(psycopg.errors.QueryCanceled("canceling statement due to statement timeout")))
    assert not database_away(OperationalError("database is locked"))
    assert not database_away(RuntimeError("sengaja gagal"))


def test_a_session_unreadable_because_the_database_is_gone_still_gets_the_app_page(served, people):
    """The log line of the error read the request's user, querying the database again: the error
    escaped every handler and gunicorn answered its bare English page (seen in the stack drill)."""
    from unittest import mock

    import psycopg
    from django.contrib.sessions.backends.db import SessionStore
    from django.db import OperationalError

    served.force_login(people["kasubag"])

    def gone(self):
        try:
            raise psycopg.OperationalError("connection failed: session is read-only")
        except psycopg.OperationalError as cut:
            raise OperationalError(*cut.args) from cut

    with mock.patch.object(SessionStore, "load", gone):
        page = served.get("/")
    assert page.status_code == 503
    assert "Basis data sedang tidak terjangkau" in page.content.decode()


def test_the_400_page_is_indonesian(rf):
    from sop_iku.errors import bad_request
    page = bad_request(rf.get("/"))
    assert page.status_code == 400 and "tidak dapat dibaca" in page.content.decode()


def test_a_page_opened_at_an_address_the_app_was_not_told_of_says_so_not_that_a_file_name_was_long(served, people):
    # An office LAN install opened at the machine's address before SOP_SITE_URL named it.
    page = served.get("/masuk/", HTTP_HOST="192.0.2.10:8000")
    body = page.content.decode()
    assert page.status_code == 400 and "Alamat ini belum dikenal aplikasi" in body and "SOP_SITE_URL" in body
    assert "nama berkas" not in body
    english_free(body)


def test_the_admin_action_url_with_an_unknown_action_is_not_a_server_error(served, people, dossier):
    served.force_login(people["admin"])
    for method in (served.get, served.post):
        page = method(f"/admin/workflow/dossier/{dossier.pk}/tindakan/tidak_ada/")
        assert page.status_code in (302, 400, 403, 404)
        english_free(page.content.decode())


FORCED = {"HTTP_X_SOP_UJI_GAGAL": "1"}


def test_the_forced_server_error_is_a_hook_of_the_tests_settings_only(settings):
    import sop_iku.settings as served_settings

    assert "tests.faults.ForcedServerErrorMiddleware" in settings.MIDDLEWARE
    assert not [name for name in served_settings.MIDDLEWARE if name.startswith("tests.")]


def test_a_return_whose_write_fails_gives_back_the_note_under_its_label_and_sends_it_again(served, people, walk):
    from workflow.steps import STEP_BY_NUMBER

    dossier = walk(STEP_BY_NUMBER[7].state)
    served.force_login(people["kabag"])
    note = "Formula indikator <b>belum</b> terukur;\nperbaiki lampiran."
    posted = {"revision": dossier.revision, "state": dossier.state, "catatan": note}
    page = served.post(f"/dosier/{dossier.pk}/aksi/kembalikan/", posted, **FORCED)
    assert page.status_code == 500
    body = page.content.decode()
    assert "Isian Anda belum tersimpan" in body and "Kirim lagi" in body
    assert '<label for="isian-1">Catatan perbaikan</label>' in body
    assert "Formula indikator &lt;b&gt;belum&lt;/b&gt; terukur;\nperbaiki lampiran.</textarea>" in body
    assert f'<form method="post" action="/dosier/{dossier.pk}/aksi/kembalikan/"' in body
    assert f'<input type="hidden" name="revision" value="{dossier.revision}">' in body
    english_free(body)
    dossier.refresh_from_db()
    assert dossier.state == STEP_BY_NUMBER[7].state and not dossier.events.filter(action="kembalikan").exists()


def test_the_grid_given_back_is_one_block_to_copy_and_sent_again_as_it_came(served, people, walk):
    from workflow.steps import STEP_BY_NUMBER

    dossier = walk(STEP_BY_NUMBER[3].state)
    served.force_login(people["dinkes"])
    page = served.post(f"/dosier/{dossier.pk}/iku/draf/", {
        "revision": dossier.revision, "state": dossier.state, "catatan": "Catatan dinas",
        "r-1-indikator": "Angka harapan hidup", "r-2-target": "75", "r-3-satuan": "",
    }, **FORCED)
    assert page.status_code == 500
    body = html.unescape(page.content.decode())
    block = body[body.index('id="isian-tabel"'):]
    lines = block[block.index(">") + 1:block.index("</textarea>")].split("\n")
    assert lines[0].split("\t")[:2] == ["Sasaran Strategis", "Indikator Kinerja Utama"]
    assert lines[1].split("\t")[1] == "Angka harapan hidup" and "75" in lines[2].split("\t")
    assert len(lines) == 3  # a row left empty is no line to paste
    assert ">Catatan untuk Biro Kesra</label>" in body and "Baris 1, Indikator" not in body
    # "Kirim lagi" sends every cell as it came.
    for name, value in (("r-1-indikator", "Angka harapan hidup"), ("r-2-target", "75"), ("r-3-satuan", "")):
        assert f'<input type="hidden" name="{name}" value="{value}">' in body


def test_a_signing_password_is_never_written_into_the_error_page(served, people, walk):
    from workflow.steps import STEP_BY_NUMBER

    dossier = walk(STEP_BY_NUMBER[8].state)
    served.force_login(people["kabiro"])
    page = served.post(f"/dosier/{dossier.pk}/aksi/selesaikan/", {
        "revision": dossier.revision, "state": dossier.state, "kata_sandi": "rahasia-kabiro-123",
        "passphrase": "frasa-bsre", "nik": "6171010101010001",
    }, **FORCED)
    body = page.content.decode()
    assert "rahasia-kabiro-123" not in body and "frasa-bsre" not in body and "6171010101010001" not in body


def test_a_login_that_fails_on_the_server_shows_nothing_of_what_was_typed(served, people):
    page = served.post("/masuk/", {"username": "kasubag", "password": "sopiku-demo"}, **FORCED)
    assert page.status_code == 500
    body = page.content.decode()
    assert "sopiku-demo" not in body and "kasubag" not in body and "Demi keamanan" in body


def test_a_form_whose_token_went_stale_is_given_back_to_copy_in_indonesian_never_resent(people, walk, settings):
    from workflow.steps import STEP_BY_NUMBER

    settings.DEBUG = False
    dossier = walk(STEP_BY_NUMBER[7].state)
    client = Client(enforce_csrf_checks=True, raise_request_exception=False)
    client.force_login(people["kabag"])
    client.get(f"/dosier/{dossier.pk}/aksi/kembalikan/")  # the token cookie the form page sets
    # The page was opened before the Kabag signed out and in again elsewhere: its token is another.
    page = client.post(f"/dosier/{dossier.pk}/aksi/kembalikan/", {
        "csrfmiddlewaretoken": "x" * 64, "revision": dossier.revision, "state": dossier.state,
        "catatan": "Catatan yang diketik sebelum masuk lagi"},
        HTTP_REFERER=f"http://testserver/dosier/{dossier.pk}/aksi/kembalikan/", HTTP_ORIGIN="http://testserver")
    body = page.content.decode()
    assert page.status_code == 403 and "Formulir ini sudah kedaluwarsa" in body
    assert '<label for="isian-1">Catatan perbaikan</label>' in body
    assert "readonly>Catatan yang diketik sebelum masuk lagi</textarea>" in body
    assert f'href="/dosier/{dossier.pk}/aksi/kembalikan/" target="_blank"' in body
    assert "Kirim lagi" not in body and "x" * 64 not in body and "<form" not in body
    english_free(body)
    assert "CSRF" not in body and "Forbidden" not in body
    # Another site's forged post gets the page without its text: nothing of it is written into ours.
    forged = client.post(f"/dosier/{dossier.pk}/aksi/kembalikan/", {"catatan": "Hubungi 0812 untuk kata sandi baru"},
                         HTTP_ORIGIN="https://situs-lain.example")
    assert forged.status_code == 403 and "Hubungi 0812" not in forged.content.decode()


def test_a_form_sent_after_the_session_ended_is_given_back_to_copy_not_dropped_for_the_login(people, walk, settings):
    from workflow.steps import STEP_BY_NUMBER

    settings.DEBUG = False
    dossier = walk(STEP_BY_NUMBER[7].state)
    url = f"/dosier/{dossier.pk}/aksi/kembalikan/"
    signed_out = Client(raise_request_exception=False)
    page = signed_out.post(url, {"revision": dossier.revision, "state": dossier.state,
                                 "catatan": "Catatan panjang yang diketik semalam"},
                        HTTP_REFERER=f"http://testserver{url}", HTTP_ORIGIN="http://testserver")
    body = page.content.decode()
    assert page.status_code == 403 and "Sesi Anda telah berakhir" in body
    assert "readonly>Catatan panjang yang diketik semalam</textarea>" in body
    assert f'href="{url}" target="_blank"' in body
    # Nothing of the dossier is shown to whoever is not signed in: only what they sent.
    assert dossier.judul not in body and "Catatan perbaikan" in body
    # A post with nothing typed (a button alone), or from another site, goes to the login page as before.
    assert signed_out.post(f"/dosier/{dossier.pk}/aksi/selesaikan/", {"state": dossier.state},
                           HTTP_ORIGIN="http://testserver").status_code == 302
    assert signed_out.post(url, {"catatan": "Teks situs lain"}, HTTP_ORIGIN="https://situs-lain.example").status_code == 302
    assert signed_out.get(url).status_code == 302


def test_minutes_sent_after_the_session_ended_come_back_under_the_forms_own_labels(people, walk, settings):
    """The boxes were labelled from the fields' names ("Acara", "Tanggal rapat"), which the minutes'
    form calls "Rapat (topik)" and "Hari/tanggal rapat": the officer had to guess where to paste."""
    from workflow.steps import STEP_BY_NUMBER, DocKind

    settings.DEBUG = False
    dossier = walk(STEP_BY_NUMBER[2].state)
    url = f"/dosier/{dossier.pk}/buat/{DocKind.NOTULEN_PERSIAPAN}/"
    posted = {"revision": dossier.revision, "state": dossier.state, "versi_naskah": "0", "sifat": "biasa",
              "acara": "Rapat persiapan workshop IKU", "tanggal_rapat": "2026-12-07", "waktu_mulai": "09.00",
              "pimpinan": str(people["kabiro"].pk), "pembahasan": "Butir satu\nButir dua yang panjang"}
    page = Client(raise_request_exception=False).post(url, posted, HTTP_REFERER=f"http://testserver{url}",
                                                      HTTP_ORIGIN="http://testserver")
    body = page.content.decode()
    assert page.status_code == 403 and "Sesi Anda telah berakhir" in body
    labels = dict((label, value) for label, value in re.findall(
        r'<label for="isian-\d+">([^<]*)</label>\s*<textarea[^>]*>([^<]*)</textarea>', body))
    assert labels == {"Rapat (topik)": "Rapat persiapan workshop IKU", "Hari/tanggal rapat": "2026-12-07",
                      "Waktu mulai": "09.00", "Pembahasan": "Butir satu\nButir dua yang panjang"}


def test_a_login_whose_token_went_stale_shows_no_password(people, settings):
    settings.DEBUG = False
    client = Client(enforce_csrf_checks=True, raise_request_exception=False)
    page = client.post("/masuk/", {"csrfmiddlewaretoken": "y" * 64, "username": "kasubag", "password": "sopiku-demo"},
                       HTTP_ORIGIN="http://testserver")
    body = page.content.decode()
    assert page.status_code == 403 and "Formulir ini sudah kedaluwarsa" in body and "sopiku-demo" not in body


def test_an_iku_grid_sent_after_the_session_ended_comes_back_as_one_block_to_paste(people, walk, settings):
    from workflow.steps import STEP_BY_NUMBER

    settings.DEBUG = False
    dossier = walk(STEP_BY_NUMBER[3].state)
    url = f"/dosier/{dossier.pk}/iku/draf/"
    posted = {"revision": dossier.revision, "state": dossier.state, "catatan": "Catatan tabel",
              "tabel_versi": "2", "tabel_draf": "2026-12-05T17:01:09.168399+00:00"}
    for row in range(1, 41):
        posted |= {f"r-{row}-sasaran_strategis": "Sasaran A" if row == 1 else "", f"r-{row}-indikator": f"Indikator {row}",
                   f"r-{row}-target": f"{row},5", f"r-{row}-penjelasan": 'Kata "kutip"\tdan tab' if row == 2 else ""}
    page = Client(raise_request_exception=False).post(url, posted, HTTP_REFERER=f"http://testserver{url}",
                                                      HTTP_ORIGIN="http://testserver")
    body = html.unescape(page.content.decode())
    assert page.status_code == 403 and "Sesi Anda telah berakhir" in body
    block = body[body.index('id="isian-tabel"'):]
    block = block[block.index(">") + 1:block.index("</textarea>")]
    lines = block.split("\n")
    assert len(lines) == 41 and lines[0].startswith("Sasaran Strategis\t")
    assert lines[1].startswith("Sasaran A\tIndikator 1\t") and "\t1,5\t" in lines[1]
    assert '"Kata ""kutip""\tdan tab"' in lines[2]
    # Not a box per cell; the note keeps its own box.
    assert "Baris 1, Sasaran Strategis" not in body and "readonly>Catatan tabel</textarea>" in body
    # What the page carried for itself is not shown as typed.
    assert "2026-12-05T17:01:09" not in body and "Tabel draf" not in body


def test_an_iku_grid_without_a_note_sent_after_the_session_ended_is_given_back_not_dropped_for_the_login(
        people, walk, settings):
    """The table is given back as one block, not as boxes: with no note typed beside it, the page had
    no box to show and the post went to the sign-in page, every row lost."""
    from workflow.steps import STEP_BY_NUMBER

    settings.DEBUG = False
    dossier = walk(STEP_BY_NUMBER[3].state)
    url = f"/dosier/{dossier.pk}/aksi/ajukan_iku/"
    posted = {"revision": dossier.revision, "state": dossier.state, "catatan": "",
              "r-1-indikator": "Angka harapan hidup", "r-1-target": "75", "r-2-indikator": "Prevalensi stunting"}
    page = Client(raise_request_exception=False).post(url, posted, HTTP_REFERER=f"http://testserver{url}",
                                                      HTTP_ORIGIN="http://testserver")
    body = html.unescape(page.content.decode())
    assert page.status_code == 403 and "Sesi Anda telah berakhir" in body
    block = body[body.index('id="isian-tabel"'):]
    assert "\tAngka harapan hidup\t" in block and "\tPrevalensi stunting\t" in block


def test_a_note_refused_because_the_delegation_ended_while_it_was_typed_is_given_back_to_copy(people, walk):
    import datetime as dt

    from django.utils import timezone

    from tests.factories import client_for
    from workflow.models import Delegation
    from workflow.roles import DelegationKind, Role
    from workflow.steps import STEP_BY_NUMBER

    dossier = walk(STEP_BY_NUMBER[7].state)
    today = timezone.localdate()
    standing_in = Delegation.objects.create(role=Role.KABAG, kind=DelegationKind.PLH, official=people["kabag"],
                                            delegate=people["tim"], starts_on=today, ends_on=today,
                                            dasar="Surat tugas", created_by=people["kabag"])
    tim = client_for(people, "tim")
    url = f"/dosier/{dossier.pk}/aksi/kembalikan/"
    assert tim.get(url).status_code == 200
    Delegation.objects.filter(pk=standing_in.pk).update(ends_on=today - dt.timedelta(days=1),
                                                        starts_on=today - dt.timedelta(days=2))
    page = tim.post(url, {"revision": dossier.revision, "state": dossier.state, "catatan": "Catatan Plh yang panjang"},
                    HTTP_ORIGIN="http://testserver", HTTP_REFERER=f"http://testserver{url}")
    body = page.content.decode()
    assert page.status_code == 403 and "readonly>Catatan Plh yang panjang</textarea>" in body
    assert "Buka lagi formulirnya" not in body
    dossier.refresh_from_db()
    assert dossier.state == STEP_BY_NUMBER[7].state


def test_a_form_whose_write_loses_the_database_is_told_to_send_again_not_that_it_was_busy(served, people, dossier):
    """A failover met in the middle of a write came back on the form as "Basis data sedang sibuk
    menyimpan isian lain, jadi isian Anda belum tersimpan" (the stack drill's, on CI): not what
    happened, and the write may have landed. It is the 503 page of a database out of reach, with
    the form to send again; sent again, what was recorded is not recorded twice."""
    import psycopg
    from django.db import OperationalError, connection

    from workflow.views.access import BUSY

    def cut_off(execute, sql, params, many, context):
        if sql.lstrip().upper().startswith("INSERT"):
            try:
                raise psycopg.OperationalError("consuming input failed: server closed the connection unexpectedly")
            except psycopg.OperationalError as lost:
                raise OperationalError(str(lost)) from lost
        return execute(sql, params, many, context)

    served.force_login(people["kasubag"])
    instruction = "Siapkan konsep Undangan workshop; periksa alamat SKPD"
    with connection.execute_wrapper(cut_off):
        page = served.post(f"/dosier/{dossier.pk}/disposisi/", {
            "kepada": people["staf"].pk, "instruksi": instruction, "waktu_amount": "4", "waktu_unit": "jam",
            "state": dossier.state})
    assert page.status_code == 503 and page["Retry-After"] == "5"
    body = html.unescape(page.content.decode())
    assert "Isian Anda mungkin belum tersimpan" in body and instruction in body
    assert BUSY not in body
    english_free(body)
