"""What the admin may type into Penomoran and Profil kantor: every value ends up printed on a letter
that cannot be taken back, so a number two kinds would share, a line break inside a number, a word
wider than the kop, a character the fonts lack or an e-mail that is none is refused at its field."""

import html

import pytest

from naskah import record
from naskah.models import NumberingRule, OfficeProfile
from tests.factories import client_for, loaded_version
from tests.naskah.helpers import generate
from workflow.steps import STEP_BY_NUMBER, DocKind


def post_rule(admin_client, kind, **changes):
    rule = NumberingRule.objects.get(kind=kind)
    data = {"kind": rule.kind, "kode_klasifikasi": rule.kode_klasifikasi, "kode_unit": rule.kode_unit,
            "pola": rule.pola} | loaded_version(rule) | changes
    response = admin_client.post(f"/admin/naskah/numberingrule/{rule.pk}/change/", data)
    return response, html.unescape(response.content.decode())


def test_two_kinds_whose_patterns_print_the_same_number_are_refused_naming_the_other(admin_client):
    response, _ = post_rule(admin_client, DocKind.UNDANGAN, pola="{nomor}")
    assert response.status_code == 302
    response, page = post_rule(admin_client, DocKind.SURAT_SKPD, pola="{nomor}")
    assert response.status_code == 200
    assert "sama dengan nomor Undangan workshop" in page and "menjadi “1” pada keduanya" in page
    assert NumberingRule.objects.get(kind=DocKind.SURAT_SKPD).pola == "{kode}/{nomor}/{unit}/{tahun}"
    # Digits a literal repeats are the same number too: 1 and 1 give "11" both ways.
    post_rule(admin_client, DocKind.UNDANGAN, pola="{nomor}1")
    response, page = post_rule(admin_client, DocKind.SURAT_SKPD, pola="1{nomor}")
    assert response.status_code == 200 and "sama dengan nomor Undangan workshop" in page
    # Kinds may share a code while their numbers still differ.
    response, _ = post_rule(admin_client, DocKind.SURAT_SKPD, pola="S-{nomor}")
    assert response.status_code == 302


@pytest.mark.parametrize(("field", "value"), [
    ("pola", "{nomor}\n/x"), ("pola", "{nomor}\t/x"), ("kode_klasifikasi", "000.1\r.5"),
    ("kode_unit", "Kes\u2028ra"), ("kode_unit", "Kes\u200bra"),
])
def test_a_control_character_in_a_pattern_or_code_is_refused(admin_client, field, value):
    response, page = post_rule(admin_client, DocKind.UNDANGAN, **{field: value})
    assert response.status_code == 200
    assert "Tidak boleh memuat karakter kendali" in page
    assert getattr(NumberingRule.objects.get(kind=DocKind.UNDANGAN), field) != value


def kop_data(**changes) -> dict:
    kop = OfficeProfile.current()
    return {field.name: getattr(kop, field.name) for field in OfficeProfile._meta.fields
            if field.name not in ("id", "lambang", "garuda")} | loaded_version(kop) | changes


def post_kop(admin_client, **changes):
    kop = OfficeProfile.current()
    kop.save()
    response = admin_client.post(f"/admin/naskah/officeprofile/{kop.pk}/change/", kop_data(**changes))
    return response, html.unescape(response.content.decode())


def test_the_kop_refuses_an_email_that_is_none(admin_client):
    response, page = post_kop(admin_client, surel="not-an-email")
    assert response.status_code == 200 and "Tulis alamat surel yang sah" in page
    assert OfficeProfile.current().surel == "birokesra@kalbarprov.go.id"


def test_the_kop_refuses_a_word_wider_than_its_line(admin_client):
    response, page = post_kop(admin_client, unit="B" * 150)
    assert response.status_code == 200
    assert "panjangnya 150 karakter" in page and "paling panjang 40 karakter per kata" in page
    assert OfficeProfile.current().unit == "BIRO KESEJAHTERAAN RAKYAT"
    # Long lines of ordinary words wrap and are kept.
    response, _ = post_kop(admin_client, unit="BIRO KESEJAHTERAAN RAKYAT DAN PEMBERDAYAAN MASYARAKAT DESA")
    assert response.status_code == 302


def test_the_kop_refuses_characters_the_print_fonts_lack_and_names_them(admin_client):
    response, page = post_kop(admin_client, unit="ＢＩＲＯ 福祉")
    assert response.status_code == 200 and "“Ｂ” (U+FF22)" in page and "kotak kosong" in page
    response, page = post_kop(admin_client, alamat="Jalan Ahmad Yani 福, Pontianak")
    assert response.status_code == 200 and "“福” (U+798F)" in page
    assert OfficeProfile.current().alamat == "Jalan Ahmad Yani, Pontianak"
    # Indonesian names with Latin accents and typographic punctuation print.
    response, _ = post_kop(admin_client, alamat="Jalan Sultan Hamid II – Gedung “Graha” Pontianak",
                           nama_gubernur="Drs. H. Ria Norsan, M.M., M.H.")
    assert response.status_code == 302


def test_a_kinds_numbering_is_neither_deleted_nor_moved_to_another_kind(admin_client, people, walk):
    # Without its rule a kind's letters were made with no number at all, their page saying
    # "nomor diberikan saat penetapan" as for the Governor's decree.
    rule = NumberingRule.objects.get(kind=DocKind.UNDANGAN)
    assert 'value="delete_selected"' not in admin_client.get("/admin/naskah/numberingrule/").content.decode()
    admin_client.post("/admin/naskah/numberingrule/", {"action": "delete_selected", "_selected_action": [rule.pk],
                                                       "post": "yes"})
    assert admin_client.post(f"/admin/naskah/numberingrule/{rule.pk}/delete/", {"post": "yes"}).status_code == 403
    admin_client.post(f"/admin/naskah/numberingrule/{rule.pk}/change/", {
        "kind": DocKind.NOTULEN_PEMBAHASAN, "kode_klasifikasi": "000.1.5", "kode_unit": "Kesra", "pola": rule.pola,
        **loaded_version(rule)})
    assert NumberingRule.objects.get(pk=rule.pk).kind == DocKind.UNDANGAN
    dossier = walk(STEP_BY_NUMBER[1].state)
    generate(client_for(people, "kasubag"), dossier, DocKind.UNDANGAN)
    assert record.latest(dossier, DocKind.UNDANGAN).nomor.startswith("000.1.5/")


def test_the_kop_refuses_a_postcode_typed_at_the_end_of_the_address(admin_client):
    # "Jalan Jenderal Ahmad Yani, Pontianak 78121" as the bureau writes it, the kode pos left as it
    # was: every letter's kop read "Pontianak 78121 78124".
    response, page = post_kop(admin_client, alamat="Jalan Jenderal Ahmad Yani, Pontianak 78121", kode_pos="78124")
    assert response.status_code == 200
    assert "“Pontianak 78121 78124”" in page and "Hapus “78121” dari alamat" in page
    assert OfficeProfile.current().alamat == "Jalan Ahmad Yani, Pontianak"
    response, _ = post_kop(admin_client, alamat="Jalan Jenderal Ahmad Yani, Pontianak", kode_pos="78121")
    assert response.status_code == 302
    # A house number is no postcode.
    response, _ = post_kop(admin_client, alamat="Jalan Jenderal Ahmad Yani No. 1")
    assert response.status_code == 302


@pytest.mark.parametrize(("field", "value", "printed"), [
    ("telepon", "Telp. (0561) 736541", "Telepon Telp. (0561) 736541"),
    ("telepon", "Telepon: (0561) 736541", "Telepon Telepon: (0561) 736541"),
    ("laman", "Website: kalbarprov.go.id", "Laman Website: kalbarprov.go.id"),
])
def test_the_kop_refuses_a_label_the_kop_prints_itself(admin_client, field, value, printed):
    # Typed as a kop surat writes it ("Telp. (0561) 736541"), every letter's kop read "Telepon Telp. ...".
    response, page = post_kop(admin_client, **{field: value})
    assert response.status_code == 200 and f"tercetak “{printed}”" in page
    assert getattr(OfficeProfile.current(), field) != value
    # The number or address alone is kept, a fax after the number too.
    response, _ = post_kop(admin_client, telepon="(0561) 736541, Faksimile (0561) 736542", laman="web.kalbarprov.go.id")
    assert response.status_code == 302
