"""A document's form says what its print would lack before it is made: the kop's emblem, the
decree's Garuda, Mengingat rules the bureau has not checked; nothing once they are there."""

from django.core.files.uploadedfile import SimpleUploadedFile

from naskah.models import LegalBasis, OfficeProfile
from tests.factories import client_for
from workflow.steps import STEP_BY_NUMBER, DocKind

# The smallest PNG: one transparent pixel.
PNG = bytes.fromhex("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478"
                    "9c6360000002000154a24f5d0000000049454e44ae426082")


def note(client, dossier, kind) -> str:
    page = client.get(f"/dosier/{dossier.pk}/buat/{kind}/").content.decode()
    return page.split("Yang akan kurang pada cetakan:", 1)[1].split("</ul>", 1)[0] if "Yang akan kurang" in page else ""


def test_the_decree_form_names_the_missing_garuda_and_the_unchecked_rules_until_they_are_there(people, walk):
    dossier = walk(STEP_BY_NUMBER[6].state)
    kasubag = client_for(people, "kasubag")
    LegalBasis.objects.update(diperiksa=True)
    LegalBasis.objects.create(urutan=90, teks="Peraturan Daerah Provinsi Kalimantan Barat Nomor 8 Tahun 2016 tentang "
                                              "Pembentukan dan Susunan Perangkat Daerah")
    said = note(kasubag, dossier, DocKind.DRAFT_KEPGUB)
    assert "tanpa lambang Garuda" in said and "1 dasar hukum pada Mengingat belum diperiksa" in said
    assert "Nomor 8 Tahun 2016" in said
    profile = OfficeProfile.current()
    profile.garuda = SimpleUploadedFile("garuda.png", PNG, content_type="image/png")
    profile.lambang = SimpleUploadedFile("lambang.png", PNG, content_type="image/png")
    profile.kop_diperiksa = True
    profile.save()
    LegalBasis.objects.update(diperiksa=True)
    assert note(kasubag, dossier, DocKind.DRAFT_KEPGUB) == ""
    assert note(kasubag, dossier, DocKind.NOTA_DINAS) == ""


def test_a_letters_form_names_the_missing_emblem(people, dossier):
    assert "tanpa lambang daerah" in note(client_for(people, "staf"), dossier, DocKind.UNDANGAN)


def test_the_kabag_reviewing_the_draft_decree_is_told_the_same_before_the_paraf(people, walk):
    from tests.naskah.helpers import generate
    from workflow import demo

    dossier = walk(STEP_BY_NUMBER[6].state)
    kasubag = client_for(people, "kasubag")
    for kind in (DocKind.NOTA_DINAS, DocKind.DRAFT_KEPGUB):
        assert generate(kasubag, dossier, kind).status_code == 302
    demo.finish(dossier, people["kasubag"])
    LegalBasis.objects.update(diperiksa=True)
    LegalBasis.objects.create(urutan=90, teks="Peraturan Gubernur Kalimantan Barat Nomor 95 Tahun 2016")
    page = client_for(people, "kabag").get(f"/dosier/{dossier.pk}/aksi/selesaikan/").content.decode()
    decree = page.split(f'id="tinjau-{DocKind.DRAFT_KEPGUB}"', 1)[1]
    said = decree.split("Yang kurang pada cetakan ini:", 1)[1].split("</ul>", 1)[0]
    assert "belum diperiksa Biro" in said and "Nomor 95 Tahun 2016" in said
    nota = page.split(f'id="tinjau-{DocKind.NOTA_DINAS}"', 1)[1].split("</details>", 1)[0]
    assert "tanpa lambang daerah" in nota


def test_a_letters_form_names_the_signers_staff_data_the_admin_has_not_filled_in(people, dossier):
    # A fresh install: the admin made the Kasubag's account, not yet their Data kepegawaian. The
    # Undangan's block would print the login name with no NIP; the form says so and where to fill it.
    people["kasubag"].__class__.objects.filter(pk=people["kasubag"].pk).update(nama="", nip="", pangkat_golongan="")
    said = note(client_for(people, "staf"), dossier, DocKind.UNDANGAN)
    assert "Blok tanda tangan Kasubag belum lengkap (tercetak “kasubag”)" in said
    assert "nama lengkap dengan gelar, NIP dan pangkat/golongan belum diisi" in said
    assert "Admin › Pengguna › kasubag" in said


def test_a_letters_form_says_when_nobody_holds_the_signing_role(people, dossier):
    from workflow.models import UserRole

    UserRole.objects.filter(role="kabiro").delete()
    dossier.__class__.objects.filter(pk=dossier.pk).update(state=STEP_BY_NUMBER[4].state)
    said = note(client_for(people, "kasubag"), dossier, DocKind.SURAT_SKPD)
    assert "Belum ada pengguna aktif dengan peran Kabiro" in said and "Admin › Pengguna" in said


def test_a_complete_signer_adds_nothing(people, dossier):
    assert "Blok tanda tangan" not in note(client_for(people, "staf"), dossier, DocKind.UNDANGAN)


def test_a_letters_form_says_the_qr_would_point_at_an_address_nobody_can_open(people, dossier, settings):
    # README: SOP_BIND=0.0.0.0:8000 to be reached from the office LAN; SOP_SITE_URL, left unset,
    # follows it, and every QR and verification line then reads http://0.0.0.0:8000/verifikasi/...
    settings.SOP_SITE_URL = "http://0.0.0.0:8000"
    said = note(client_for(people, "staf"), dossier, DocKind.UNDANGAN)
    assert "http://0.0.0.0:8000/verifikasi/" in said and "SOP_SITE_URL belum diatur" in said
    settings.SOP_SITE_URL = "http://192.168.1.10:8000"
    assert "SOP_SITE_URL" not in note(client_for(people, "staf"), dossier, DocKind.UNDANGAN)


def test_a_letters_form_says_the_kop_still_carries_the_seeds_example_values_until_the_bureau_confirms_them(
        people, dossier):
    # A fresh install's kop is the seed's guess at the bureau's address, telephone, website and
    # e-mail ("Nilai awal contoh" in the admin's help, read by nobody who makes a letter).
    staf = client_for(people, "staf")
    said = note(staf, dossier, DocKind.UNDANGAN)
    assert "Kop masih memuat nilai contoh yang belum dipastikan Biro" in said
    assert "Telepon (0561) 736541" in said and "Admin › Profil kantor (kop surat)" in said
    OfficeProfile.objects.update(kop_diperiksa=True)
    assert "nilai contoh" not in note(staf, dossier, DocKind.UNDANGAN)


def test_the_upgrade_counts_a_kop_the_bureau_already_changed_as_confirmed(db):
    from importlib import import_module

    from django.apps import apps

    migration = import_module("naskah.migrations.0018_kop_confirmed")
    OfficeProfile.objects.all().delete()
    untouched = OfficeProfile.objects.create()
    changed = OfficeProfile.objects.create(telepon="(0561) 123456")
    migration.confirm_edited(apps, None)
    untouched.refresh_from_db()
    changed.refresh_from_db()
    assert not untouched.kop_diperiksa and changed.kop_diperiksa


def test_a_letters_form_says_when_nobody_can_sign_it_yet(people, dossier):
    """On a fresh install no certificate is installed: the Kasubag made the Undangan, filled in the
    step and learnt only at "Kirim undangan" that it cannot be signed. The form says so before."""
    from naskah.models import SigningCertificate

    SigningCertificate.objects.update(aktif=False)
    said = note(client_for(people, "staf"), dossier, DocKind.UNDANGAN)
    assert "Belum ada sertifikat tanda tangan elektronik" in said and "Admin › Sertifikat tanda tangan elektronik" in said
    SigningCertificate.objects.update(aktif=True)
    assert "sertifikat" not in note(client_for(people, "staf"), dossier, DocKind.UNDANGAN)
