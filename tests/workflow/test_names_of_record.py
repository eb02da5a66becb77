"""An official renamed in the admin (a married name, a corrected spelling) is named so from then on;
what they did before keeps the name they did it under, as the audit log keeps it."""

import json

from django.apps import apps as django_apps
from django.utils import timezone

from naskah.models import NaskahRecord
from tests.factories import admin_user_form, client_for
from tests.naskah.helpers import cetak_pdf, generate, pages
from workflow import demo
from workflow.models import Delegation, Document, User
from workflow.models.audit import name_in_label
from workflow.roles import DelegationKind, Role
from workflow.steps import STEP_BY_NUMBER, DocKind


def renamed(people, username, nama):
    """`username` renamed as the admin does it, on the user's change page."""
    user = people[username]
    admin = client_for(people, "admin")
    assert admin.post(f"/admin/workflow/user/{user.pk}/change/", admin_user_form(user, nama=nama)).status_code == 302
    assert User.objects.get(pk=user.pk).nama == nama
    people[username] = User.objects.get(pk=user.pk)


def test_a_document_uploaded_before_a_rename_keeps_its_uploaders_name_then(people, walk):
    dossier = walk(STEP_BY_NUMBER[1].state)
    was = people["staf"].display_name
    demo.upload(dossier, people["staf"], DocKind.DPA)
    renamed(people, "staf", "Andi Saputra Wijaya, S.Kom.")
    page = client_for(people, "kasubag").get(f"/dosier/{dossier.pk}/").content.decode()
    listed = page.split("dpa.pdf", 1)[1][:200]
    assert was in listed and "Wijaya" not in listed
    change = client_for(people, "admin").get(f"/admin/workflow/dossier/{dossier.pk}/change/").content.decode()
    assert f"dpa.pdf, {was})" in change and "Wijaya" not in change
    # What they upload from now on carries the new name.
    demo.upload(dossier, people["staf"], DocKind.KEPGUB_WORKSHOP)
    assert Document.objects.get(dossier=dossier, kind=DocKind.KEPGUB_WORKSHOP).uploaded_by_nama == (
        "Andi Saputra Wijaya, S.Kom.")


def test_srikandi_names_the_maker_of_a_letter_as_they_were_when_they_made_it(people, walk):
    dossier = walk(STEP_BY_NUMBER[4].state)
    generate(client_for(people, "kabiro"), dossier, DocKind.SURAT_SKPD)
    demo.finish(dossier, people["kabiro"])
    was = people["kabiro"].display_name
    made = NaskahRecord.objects.get(document__dossier=dossier, document__kind=DocKind.SURAT_SKPD)
    renamed(people, "kabiro", "Dr. H. Syarif Abdullah Rahman, M.Si.")
    listed = json.loads(client_for(people, "staf").get(f"/dosier/{dossier.pk}/srikandi/{made.document.pk}/json/").content)
    assert listed["verifikator"] == [was]


def test_the_upgrade_takes_each_documents_uploader_from_the_log_as_it_was_then(people, walk):
    migration = __import__("workflow.migrations.0033_document_uploader_name_of_record", fromlist=["keep_uploaders"])
    dossier = walk(STEP_BY_NUMBER[1].state)
    demo.upload(dossier, people["staf"], DocKind.DPA)
    was = people["staf"].display_name
    # As a database made before the field: the name left blank, and the account renamed since.
    Document.objects.update(uploaded_by_nama="")
    User.objects.filter(pk=people["staf"].pk).update(nama="Andi Saputra Wijaya, S.Kom.")
    migration.keep_uploaders(django_apps, None)
    assert Document.objects.get(dossier=dossier, kind=DocKind.DPA).uploaded_by_nama == was
    # What the log writes (workflow.models.audit.actor_label) of a stand-in ("Plh. Kabag Andi atas nama Hendra") gives the stand-in's name.
    assert name_in_label("Plh. Kabag Andi Saputra, S.Kom. atas nama Drs. Hendra Gunawan, M.M.") == (
        "Andi Saputra, S.Kom.")
    assert name_in_label("Rina Marlina, S.E., M.Si. (Kasubag)") == "Rina Marlina, S.E., M.Si."


def test_a_plh_renamed_after_initialling_keeps_the_name_they_initialled_under(people, walk):
    dossier = walk(STEP_BY_NUMBER[6].state)
    kasubag = client_for(people, "kasubag")
    generate(kasubag, dossier, DocKind.NOTA_DINAS)
    generate(kasubag, dossier, DocKind.DRAFT_KEPGUB)
    demo.finish(dossier, people["kasubag"])
    day = timezone.localdate()
    Delegation.objects.create(official=people["kabag"], delegate=people["tim"], role=Role.KABAG,
                              kind=DelegationKind.PLH, starts_on=day, ends_on=day)
    demo.finish(dossier, people["tim"])
    renamed(people, "tim", "Yuliana Putri Kusuma, S.Sos.")
    # The draft as the Kabiro reads it before signing, and so as it is signed.
    nota = " ".join(pages(cetak_pdf(people, dossier, DocKind.NOTA_DINAS, "kabiro")))
    assert "Plh. Kabag Yuliana Putri, S.Sos." in nota and "Kusuma" not in nota and "atas nama" not in nota


def test_an_iku_version_sent_before_a_rename_names_its_sender_as_they_were_then(people, walk):
    from iku.models import IkuVersion
    from tests.api.helpers import as_token
    from tests.iku.test_round import send

    dossier = walk(STEP_BY_NUMBER[3].state)
    send(people, dossier, "dinkes", [{"indikator": "Angka kematian ibu", "target": "150"}])
    was = people["dinkes"].display_name
    User.objects.filter(pk=people["dinkes"].pk).update(nama="Bambang Sutrisno Wijaya, S.K.M.")
    skpd = people["dinkes"].skpd_id
    page = client_for(people, "kasubag").get(f"/dosier/{dossier.pk}/iku/konsep/versi/{skpd}/").content.decode()
    assert f"· {was}</option>" in page and "Wijaya" not in page
    listed = as_token(people, "kasubag").get(f"/api/v1/dosier/{dossier.pk}/iku/konsep/skpd/{skpd}/versi/").json()
    assert [v["dikirim_oleh"] for v in listed["versi"]] == [was]

    # As a database made before the field: the name left blank; the upgrade takes it from the log.
    migration = __import__("iku.migrations.0006_version_sender_name_of_record", fromlist=["keep_senders"])
    IkuVersion.objects.update(sent_by_nama="")
    migration.keep_senders(django_apps, None)
    assert list(IkuVersion.objects.values_list("sent_by_nama", flat=True)) == [was]


def _dispose(people, dossier, instruksi="Siapkan konsep Undangan workshop"):
    from workflow.models import Disposition

    form = {"kepada": people["staf"].pk, "instruksi": instruksi, "waktu_amount": "4", "waktu_unit": "jam",
            "state": dossier.state}
    assert client_for(people, "kasubag").post(f"/dosier/{dossier.pk}/disposisi/", form).status_code == 302
    return Disposition.objects.get(dossier=dossier, instruksi=instruksi)


def test_a_disposisi_given_and_done_before_a_rename_names_the_people_as_they_were_then(people, walk):
    import html

    dossier = walk(STEP_BY_NUMBER[1].state)
    done = _dispose(people, dossier, "Cek daftar SKPD")
    open_ = _dispose(people, dossier, "Siapkan konsep Undangan workshop")
    staf = client_for(people, "staf")
    assert staf.post(f"/dosier/{dossier.pk}/disposisi/{done.pk}/selesai/", {"hasil": "Sudah"}).status_code == 302
    giver, staf_was = people["kasubag"].display_name, people["staf"].display_name
    renamed(people, "kasubag", "Rina Marlina Kusuma, S.E., M.Si.")
    renamed(people, "staf", "Andi Saputra Wijaya, S.Kom.")
    page = client_for(people, "kasubag").get(f"/dosier/{dossier.pk}/").content.decode()
    listed = page.split('id="disposisi"')[1].split("</section>")[0]
    assert listed.count(f"<strong>{staf_was}</strong>") == 2 and listed.count(f"dari {giver},") == 2
    assert "Wijaya" not in listed and "Kusuma" not in listed
    # The one still open, as its Staf reads it to report it done.
    form = html.unescape(staf.get(f"/dosier/{dossier.pk}/disposisi/{open_.pk}/selesai/").content.decode())
    assert f"<dt>Dari</dt><dd>{giver}," in form and f"<dt>Kepada</dt><dd>{staf_was}</dd>" in form
    # The one done, reported again by the Kasubag: who reported it then.
    refused = html.unescape(client_for(people, "kasubag").get(
        f"/dosier/{dossier.pk}/disposisi/{done.pk}/selesai/").content.decode())
    assert f"sudah dilaporkan selesai oleh {staf_was} pada" in refused and "Wijaya" not in refused


def test_the_upgrade_takes_each_disposisis_names_from_the_log_as_they_were_then(people, walk):
    from workflow.models import Disposition

    migration = __import__("workflow.migrations.0035_disposition_names_of_record", fromlist=["keep_names"])
    dossier = walk(STEP_BY_NUMBER[1].state)
    done = _dispose(people, dossier, "Cek daftar SKPD")
    open_ = _dispose(people, dossier, "Siapkan konsep Undangan workshop")
    client_for(people, "staf").post(f"/dosier/{dossier.pk}/disposisi/{done.pk}/selesai/", {"hasil": "Sudah"})
    giver, staf_was = people["kasubag"].display_name, people["staf"].display_name
    # As a database made before the fields: the names left blank, and the accounts renamed since.
    Disposition.objects.update(given_by_nama="", assigned_to_nama="", done_by_nama="")
    User.objects.filter(pk=people["kasubag"].pk).update(nama="Rina Marlina Kusuma, S.E., M.Si.")
    User.objects.filter(pk=people["staf"].pk).update(nama="Andi Saputra Wijaya, S.Kom.")
    migration.keep_names(django_apps, None)
    assert Disposition.objects.values_list("given_by_nama", "assigned_to_nama", "done_by_nama").get(pk=done.pk) == (
        giver, staf_was, staf_was)
    assert Disposition.objects.values_list("given_by_nama", "assigned_to_nama", "done_by_nama").get(pk=open_.pk) == (
        giver, staf_was, "")


def test_the_admins_log_tells_the_name_of_record_from_the_accounts_name_now(people, walk):
    import re

    dossier = walk(STEP_BY_NUMBER[2].state)
    event = dossier.events.filter(actor=people["kasubag"]).last()
    was = people["kasubag"].display_name
    renamed(people, "kasubag", "Rina Marlina Kusuma, S.E., M.Si.")
    page = client_for(people, "admin").get(f"/admin/workflow/auditevent/{event.pk}/change/").content.decode()
    shown = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page[page.index("<fieldset"):page.index("</fieldset>")]))
    assert f"Pelaku (saat itu): {was} (Kasubag)" in shown
    assert "Akun pelaku (namanya kini): Rina Marlina Kusuma, S.E., M.Si." in shown
    assert f'<a href="/admin/workflow/user/{people["kasubag"].pk}/change/">Rina Marlina Kusuma' in page
    assert "Atas nama (akun, namanya kini): -" in shown, shown


def test_the_admins_disposisi_names_the_people_as_it_was_given_beside_their_accounts_now(people, walk):
    import re

    dossier = walk(STEP_BY_NUMBER[1].state)
    given = _dispose(people, dossier)
    was = people["staf"].display_name
    renamed(people, "staf", "Andi Saputra Wijaya, S.Kom.")
    admin = client_for(people, "admin")
    listed = admin.get("/admin/workflow/disposition/").content.decode()
    assert was in listed and "Wijaya" not in listed
    page = admin.get(f"/admin/workflow/disposition/{given.pk}/change/").content.decode()
    # The page's title and its change log name the disposisi as it was given.
    title = page[page.index("<title>"):page.index("</title>")]
    assert was in title and "Wijaya" not in title
    shown = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page[page.index("<fieldset"):page.index("</fieldset>")]))
    assert f"Kepada (nama saat itu): {was} Akun penerima (namanya kini): Andi Saputra Wijaya, S.Kom." in shown
