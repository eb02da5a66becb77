"""What a user notices, small (issue 26's polish list): one full stop after a degree, dates written
one way, an Indonesian empty choice, the menu marking only the list one is on, an icon, the admin in
Indonesian with actions and positions in words, and the demo saying where it serves."""

import datetime
import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.test import Client, override_settings
from django.utils import timezone

from lib.dates import long_date
from tests.factories import client_for
from workflow import demo
from workflow.actions import Action
from workflow.steps import STEP_BY_NUMBER, DocKind

ROOT = Path(__file__).resolve().parents[2]


def test_a_name_ending_in_a_degree_ends_the_sentence_once(people, dossier):
    given = client_for(people, "kasubag").post(
        f"/dosier/{dossier.pk}/disposisi/",
        {"kepada": people["staf"].pk, "instruksi": "Siapkan daftar hadir", "waktu_amount": "4", "waktu_unit": "jam",
         "state": dossier.state}, follow=True).content.decode()
    assert "Disposisi diberikan kepada Andi Saputra, S.Kom.</" in given and "S.Kom.." not in given


def test_dates_are_written_the_long_way_where_the_short_one_was(people, walk):
    today = timezone.localdate()
    ends = today + datetime.timedelta(days=2)
    told = client_for(people, "kabag").post("/pelimpahan/", {
        "role": "kabag", "delegate": people["kasubag"].pk, "kind": "plh", "starts_on": today.isoformat(),
        "ends_on": ends.isoformat()}, follow=True).content.decode()
    assert f"dari {long_date(today)} sampai {long_date(ends)}." in told
    assert f"{today:%d-%m-%Y}" not in told
    dossier = walk("di_gubernur")
    client_for(people, "kasubag").post(f"/dosier/{dossier.pk}/aksi/catat_penetapan/", {
        "revision": dossier.revision, "state": dossier.state, "nomor_kepgub": "188.44/12/2027",
        "tanggal_kepgub": today.isoformat()})
    page = client_for(people, "kasubag").get(f"/dosier/{dossier.pk}/").content.decode()
    assert f"188.44/12/2027 tanggal {long_date(today)}" in page and f"{today:%d-%m-%Y}" not in page


def test_the_minutes_form_offers_an_indonesian_empty_choice(people, walk):
    dossier = walk(STEP_BY_NUMBER[2].state)
    form = client_for(people, "staf").get(f"/dosier/{dossier.pk}/buat/{DocKind.NOTULEN_PERSIAPAN}/").content.decode()
    assert '<option value="">— pilih —</option>' in form and "---------" not in form


def test_the_menu_marks_the_archive_on_the_archive_only(people, dossier):
    kasubag = client_for(people, "kasubag")
    marked = '<a href="/arsip/" aria-current="page">Arsip</a>'
    assert marked in kasubag.get("/arsip/").content.decode()
    for url in (f"/dosier/{dossier.pk}/", f"/dosier/{dossier.pk}/aksi/unggah_dokumen/"):
        page = kasubag.get(url).content.decode()
        assert 'aria-current="page"' not in page, url


def test_the_site_has_an_icon_for_anyone(people):
    icon = Client().get("/favicon.ico")
    assert icon.status_code == 200 and icon["Content-Type"] == "image/x-icon"
    assert b"".join(icon.streaming_content).startswith(b"\x00\x00\x01\x00")  # an ICO file
    assert '<link rel="icon" href="/static/favicon.ico">' in Client().get("/masuk/").content.decode()


def admin_page(people, url) -> str:
    client = Client()
    client.force_login(people["admin"])
    page = client.get(url)
    assert page.status_code == 200, url
    return page.content.decode()


def test_the_admin_names_the_packages_and_their_columns_in_indonesian(people):
    index = admin_page(people, "/admin/")
    assert "Antrean tugas latar" in index and "Hasil tugas latar" in index and "Pembatasan login" in index
    assert "Task Results" not in index and "Tasks Database Backend" not in index and ">Axes<" not in index
    tasks = admin_page(people, "/admin/django_tasks_database/dbtaskresult/")
    assert "Berdasarkan prioritas" in tasks and ">Berhasil<" in tasks and "Successful" not in tasks
    attempts = admin_page(people, "/admin/axes/accessattempt/")
    assert "Berdasarkan Terkunci" in attempts and "Locked Out" not in attempts


def test_the_admin_lists_permissions_in_indonesian(people):
    for url in (f"/admin/workflow/user/{people['staf'].pk}/change/", "/admin/auth/group/add/"):
        page = admin_page(people, url)
        assert "Can add" not in page and "Can change" not in page, url
        assert "Alur SOP Penetapan IKU | dosier IKU | Dapat mengubah dosier IKU" in page, url


def test_the_admin_history_says_actions_and_positions_in_words(people, dossier):
    demo.upload(dossier, people["staf"], DocKind.DPA)
    listed = admin_page(people, "/admin/workflow/auditevent/")
    assert "Mengunggah dokumen" in listed and STEP_BY_NUMBER[1].ringkas in listed
    assert ">unggah_dokumen<" not in listed and ">langkah_1<" not in listed
    event = dossier.events.get(action=Action.UNGGAH)
    shown = admin_page(people, f"/admin/workflow/auditevent/{event.pk}/change/")
    assert "Mengunggah dokumen" in shown and ">unggah_dokumen<" not in shown
    page = admin_page(people, f"/admin/workflow/dossier/{dossier.pk}/change/")
    assert "Revisi:" in page and "Revision" not in page


def test_the_admin_names_the_dossier_and_document_columns_in_indonesian(people, walk):
    from naskah.models import NaskahRecord
    from tests.naskah.helpers import generate
    from workflow import dispositions

    dossier = walk(STEP_BY_NUMBER[1].state)
    generate(client_for(people, "kasubag"), dossier, DocKind.UNDANGAN)
    dispositions.give(dossier, people["kasubag"], assigned_to=people["staf"], instruksi="Siapkan DPA", waktu_amount=2,
                      waktu_unit="jam")
    made = NaskahRecord.objects.get(document__dossier=dossier)
    for url in ("/admin/workflow/auditevent/", f"/admin/workflow/auditevent/{dossier.events.last().pk}/change/",
                "/admin/workflow/disposition/", f"/admin/workflow/disposition/{dossier.dispositions.get().pk}/change/",
                "/admin/naskah/naskahrecord/", f"/admin/naskah/naskahrecord/{made.pk}/change/"):
        page = admin_page(people, url)
        for english in ("Dossier", "Document", "Delegation kind"):
            assert english not in page, (url, english)
    assert "Dosier:" in admin_page(people, f"/admin/workflow/auditevent/{dossier.events.last().pk}/change/")
    assert "Sebagai Plh./Plt.:" in admin_page(people, f"/admin/workflow/auditevent/{dossier.events.last().pk}/change/")
    assert "Dokumen:" in admin_page(people, f"/admin/naskah/naskahrecord/{made.pk}/change/")


def test_demo_data_prints_the_address_it_serves(people, dossier, capsys):
    with override_settings(SOP_SITE_URL="http://10.0.0.5:8123"):
        call_command("demo_data")
    assert "Masuk di http://10.0.0.5:8123 dengan" in capsys.readouterr().out
    env = {k: v for k, v in os.environ.items() if k != "SOP_SITE_URL"} | {
        "SOP_BIND": "0.0.0.0:8123", "DJANGO_DEBUG": "true", "DJANGO_SETTINGS_MODULE": "sop_iku.settings"}
    read = subprocess.run([sys.executable, "-c", "from django.conf import settings; print(settings.SOP_SITE_URL)"],
                          cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    assert read.stdout.strip() == "http://0.0.0.0:8123"
    assert settings.SOP_SITE_URL  # the tests' own


def test_lifting_a_lockout_names_the_attempt_in_indonesian(people):
    from axes.models import AccessAttempt

    attempt = AccessAttempt.objects.create(
        username="staf", ip_address="10.1.2.3", user_agent="Firefox", http_accept="*/*", path_info="/masuk/",
        get_data="", post_data="", failures_since_start=5, attempt_time=timezone.now())
    when = timezone.localtime(AccessAttempt.objects.get(pk=attempt.pk).attempt_time)
    named = f"Upaya masuk “staf” dari 10.1.2.3, {long_date(when.date())} {when:%H.%M}"
    client = Client()
    client.force_login(people["admin"])
    asked = client.post("/admin/axes/accessattempt/", {"action": "delete_selected", "index": 0,
                                                       "_selected_action": [attempt.pk]}).content.decode()
    assert named in asked and "Attempted Access" not in asked
    shown = admin_page(people, f"/admin/axes/accessattempt/{attempt.pk}/change/")
    assert "Kedaluwarsa:" in shown and "Access attempt expiration" not in shown


def test_the_admins_user_and_password_pages_read_in_plain_indonesian(people):
    kabag = people["kabag"]
    kabag.nama = "Drs. Hendra Gunawan, M.M."
    kabag.save()
    page = admin_page(people, f"/admin/workflow/user/{kabag.pk}/password/")
    assert "Sandi baru untuk pengguna <strong>Drs. Hendra Gunawan, M.M.</strong>:" in page and "M.M.." not in page
    assert "Bila tidak diizinkan, kata sandi pengguna ini sekarang dihapus." in page and "If disabled" not in page
    assert 'value="Jangan izinkan masuk dengan kata sandi"' in page
    kabag.set_unusable_password()
    kabag.save()
    unset = admin_page(people, f"/admin/workflow/user/{kabag.pk}/change/")
    assert "Setel sandi agar pengguna ini dapat masuk dengan kata sandi." in unset and "Mengadakan" not in unset
    added = admin_page(people, "/admin/workflow/user/add/")
    for page in (page, added):
        assert "Masuk dengan kata sandi" in page and "Tidak diizinkan" in page
        for garbled in ("Autentidikasi", "autentifikasu", "Diadakan", "Ditiadakan", "Single Sign-On", "atau sedikit",
                        "merubah"):
            assert garbled not in page, garbled


def test_a_refused_admin_form_says_so_in_correct_indonesian(people):
    client = Client()
    client.force_login(people["admin"])
    page = client.post("/admin/workflow/skpd/add/", {"nama": "", "nama_pendek": "", "order": "10"}).content.decode()
    assert "Perbaiki isian yang ditandai di bawah ini." in page and "dibawah" not in page
