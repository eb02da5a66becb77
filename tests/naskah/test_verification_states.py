"""Verification answers what a file is, and only the signed document of record is 'Asli'.

One token per version: each draft version and the signed document have their own public page. A
genuine draft (as generated, as the app prints it now with its paraf boxes filled, or any print of
it the app still keeps) is 'Konsep versi N, bukan naskah yang ditandatangani' and `verify_document`
exits 3; the signed document exits 0; a changed file or an unknown one exits 1, a forged signature
chain included, in words and without a traceback."""

import datetime as dt
import io
import logging
import re
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from pypdf import PdfReader

from filestore.models import StoredFile
from lib.dates import long_date
from naskah import certificates, demo_ca, pades, record
from naskah.models import NaskahRecord, new_token
from tests.factories import client_for
from tests.naskah.helpers import altered, cetak_pdf, generate, initialled
from workflow import demo
from workflow.models import Skpd
from workflow.steps import STEP_BY_NUMBER, DocKind

SHA256_OID = bytes.fromhex("0609608648016503040201")


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def stored(made: NaskahRecord) -> bytes:
    """A draft version's bytes as generated."""
    with made.document.file.open("rb") as kept:
        return kept.read()


def forged_certificate():
    """A certificate issued in the name of the trusted root by a key that is not the root's."""
    impostor = demo_ca.make_root()  # same name as the demo root, another key
    return certificates.install(nama="Palsu", data=demo_ca.issue(impostor, "Pemalsu", "sandi"), passphrase="sandi")


def signed_again(pdf: bytes, row) -> bytes:
    return pades.sign(pdf, row, pades.Signer("Pemalsu", "Pemalsu", "", "Pontianak"), page=None, box=None,
                      at=dt.datetime.now(dt.timezone.utc))


def unreadable_signature(pdf: bytes) -> bytes:
    """`pdf` with the hash named in its signature's certificate reference made unknown: the validator
    itself stumbles on it."""
    found = re.search(rb"/Contents <([0-9a-fA-F]+)>", pdf)
    blob = bytearray(bytes.fromhex(found.group(1).decode()))
    at = blob.rindex(SHA256_OID)
    blob[at + len(SHA256_OID) - 1] = 0x6D
    return pdf[:found.start(1)] + blob.hex().encode() + pdf[found.end(1):]


def run(tmp_path, data: bytes, *options) -> tuple[int, str]:
    path = tmp_path / "berkas.pdf"
    path.write_bytes(data)
    out = StringIO()
    try:
        call_command("verify_document", str(path), *options, stdout=out)
        code = 0
    except SystemExit as exit_:
        code = exit_.code
    return code, out.getvalue()


def page_of(token: str) -> str:
    response = Client().get(f"/verifikasi/{token}/")
    assert response.status_code == 200, token
    return text(response)


def uploaded_on(token: str, data: bytes) -> str:
    return text(Client().post(f"/verifikasi/{token}/", {"berkas": io.BytesIO(data)}, format="multipart"))


@pytest.fixture
def surat(people, walk):
    """A Surat made twice at step 4 (v1, then v2), and v2 signed by the Kabiro finishing the step."""
    dossier = walk(STEP_BY_NUMBER[4].state)
    kabiro = client_for(people, "kabiro")
    generate(kabiro, dossier, DocKind.SURAT_SKPD, hal="Koordinasi penyusunan IKU, pertama")
    generate(kabiro, dossier, DocKind.SURAT_SKPD, hal="Koordinasi penyusunan IKU, kedua")
    first, second = (d.naskah for d in dossier.documents.filter(kind=DocKind.SURAT_SKPD).order_by("pk"))
    drafts = {"v1": stored(first), "v2": stored(second)}
    demo.finish(dossier, people["kabiro"])
    second.refresh_from_db()
    return dossier, first, second, drafts


def test_every_state_of_a_surat_answers_as_what_it_is(people, surat, tmp_path):
    dossier, first, second, drafts = surat
    assert second.is_final and not first.is_final
    assert len({first.token, second.token, second.final_token}) == 3
    final = record.served_bytes(second)
    # (file, exit code, what verify_document says first, the page it is about, what that page says)
    table = [
        ("signed", final, 0, "Asli: berkas ini sama persis dengan naskah final yang ditandatangani",
         second.final_token, "Naskah yang ditandatangani."),
        ("v1, superseded", drafts["v1"], 3, "Konsep versi 1, bukan naskah yang ditandatangani",
         first.token, "Konsep versi 1, bukan naskah yang ditandatangani."),
        ("v2, since signed", drafts["v2"], 3, "Konsep versi 2, bukan naskah yang ditandatangani",
         second.token, "Konsep versi 2, bukan naskah yang ditandatangani."),
        ("signed, changed", altered(final), 1, "Diubah:", second.final_token, "Naskah yang ditandatangani."),
        ("signed, appended to", final + b"\n% ditambah sesudahnya\n", 1, "Diubah:", second.final_token,
         "Naskah yang ditandatangani."),
        ("v1, changed", altered(drafts["v1"]), 1, "Diubah:", first.token, "Konsep versi 1"),
        ("unknown", demo.placeholder_pdf("Surat lain"), 1, "Tidak dikenal:", None, None),
    ]
    wrong = []
    for name, data, code, says, token, page_says in table:
        got, out = run(tmp_path, data)
        if (got, out.splitlines()[0][:len(says)]) != (code, says):
            wrong.append((name, got, out))
        if token is not None:
            if page_says not in page_of(token):
                wrong.append((name, "halaman", token))
            answer = uploaded_on(token, data)
            if says not in answer:
                wrong.append((name, "unggahan", re.findall(r'id="hasil">([^<]*)', answer)))
    assert wrong == []

    # What replaced each draft, on its page and from verify_document.
    v1 = page_of(first.token)
    assert f'Konsep ini sudah digantikan oleh <a href="/verifikasi/{second.token}/">konsep versi 2</a>' in v1
    assert f'<a href="/verifikasi/{second.final_token}/">' in v1
    v2 = page_of(second.token)
    assert f'Naskah yang ditandatangani: <a href="/verifikasi/{second.final_token}/">' in v2
    _, out = run(tmp_path, drafts["v1"])
    site = settings.SOP_SITE_URL.rstrip("/")
    assert f"Digantikan oleh konsep versi 2: {site}/verifikasi/{second.token}/" in out
    assert f"Naskah yang ditandatangani: {site}/verifikasi/{second.final_token}/" in out
    # The signed document's QR leads to its own page, the draft's prints to the draft's.
    assert f"/verifikasi/{second.final_token}/" in " ".join(PdfReader(io.BytesIO(final)).pages[0].extract_text().split()).replace(" ", "")
    assert f"/verifikasi/{second.token}/" in PdfReader(io.BytesIO(drafts["v2"])).pages[0].extract_text().replace("\n", "").replace(" ", "")


def test_the_apps_own_draft_prints_verify_as_their_version(people, walk, tmp_path, settings):
    """The Nota and the decree as /cetak/ prints them, paraf boxes filled, are their draft version:
    while kept, after signing, and as the draft prints now even once the kept prints are cleared."""
    dossier = initialled(people, walk)
    nota = record.latest(dossier, DocKind.NOTA_DINAS)
    decree = record.latest(dossier, DocKind.DRAFT_KEPGUB)
    nota_print, decree_print = cetak_pdf(people, dossier, DocKind.NOTA_DINAS), cetak_pdf(people, dossier, DocKind.DRAFT_KEPGUB)
    assert nota_print != stored(nota) and decree_print != stored(decree)  # the paraf boxes are filled in
    for data, made in ((nota_print, nota), (decree_print, decree)):
        code, out = run(tmp_path, data)
        assert (code, out.splitlines()[0][:48]) == (3, "Konsep versi 1, bukan naskah yang ditandatangani"), out
        assert "Ini konsep terakhir; belum ditandatangani." in out
        assert "Konsep versi 1, bukan naskah yang ditandatangani" in uploaded_on(made.token, data)

    demo.finish(dossier, people["kabiro"])
    nota.refresh_from_db()
    # Signed now: the print made before is still that draft, and its page leads to the signed Nota.
    code, out = run(tmp_path, nota_print)
    site = settings.SOP_SITE_URL.rstrip("/")
    assert code == 3 and f"Naskah yang ditandatangani: {site}/verifikasi/{nota.final_token}/" in out
    assert f'<a href="/verifikasi/{nota.final_token}/">' in page_of(nota.token)
    assert run(tmp_path, cetak_pdf(people, dossier, DocKind.NOTA_DINAS))[0] == 0
    assert run(tmp_path, altered(nota_print))[0] == 1
    # The decree stays a draft: its print of before the Kabiro's paraf is still kept and genuine, and
    # its print of now (his paraf in) is genuine even once the kept prints are cleared
    # (remove_orphan_files clears them hourly): printed again, the same content gives the same bytes.
    assert run(tmp_path, decree_print)[0] == 3
    decree_now = cetak_pdf(people, dossier, DocKind.DRAFT_KEPGUB)
    assert decree_now != decree_print
    StoredFile.objects.filter(name__startswith="halaman/").delete()
    code, out = run(tmp_path, decree_now)
    assert code == 3 and "Ini konsep terakhir; belum ditandatangani." in out
    assert "Ini konsep terakhir; belum ditandatangani." in page_of(decree.token)


def test_a_forged_signature_chain_is_told_in_words_with_exit_1(people, walk, tmp_path, caplog):
    """Signed again with a certificate made in the trusted root's name, or with a signature the
    validator cannot read: 'Diubah' or 'Tidak dikenal', exit 1, no traceback logged or printed."""
    dossier = initialled(people, walk)
    demo.finish(dossier, people["kabiro"])
    nota = record.latest(dossier, DocKind.NOTA_DINAS)
    final = record.served_bytes(nota)
    forger = forged_certificate()
    caplog.set_level(logging.DEBUG)
    for data, says in [(signed_again(stored(nota), forger), "Diubah:"),
                       (signed_again(demo.placeholder_pdf("Surat palsu"), forger), "Tidak dikenal:"),
                       (unreadable_signature(final), "Diubah:")]:
        for options in ((), ("--pada", "2040-01-01")):
            code, out = run(tmp_path, data, *options)
            assert code == 1 and out.startswith(says), out
            assert "Traceback" not in out
            assert "Tanda tangan elektronik: " in out, out
            assert any(words in out for words in ("Tidak sah", "tidak berantai", "tidak ada bukti")), out
        answer = uploaded_on(nota.final_token, data)
        assert "Tanda tangan elektronik dalam berkas: " in answer and "Traceback" not in answer
    assert [r.getMessage() for r in caplog.records if r.exc_info] == []


def test_the_public_page_shows_the_content_and_nothing_internal(people, walk):
    dossier = walk(STEP_BY_NUMBER[6].state)
    kasubag = client_for(people, "kasubag")
    generate(kasubag, dossier, DocKind.NOTA_DINAS)
    generate(kasubag, dossier, DocKind.DRAFT_KEPGUB)
    # A note on the way up is the bureau's own: not on the document, not on its public page.
    demo.finish(dossier, people["kasubag"], catatan="CATATAN-INTERNAL-BIRO")
    nota = record.latest(dossier, DocKind.NOTA_DINAS)
    decree = record.latest(dossier, DocKind.DRAFT_KEPGUB)
    html = page_of(nota.token)
    for shown in ("Nota Dinas", nota.nomor, "Hal", nota.isian["hal"], "Yth. Asisten Pemerintahan dan Kesejahteraan Rakyat",
                  'id="jumlah-halaman">1<'):
        assert shown in html, shown
    assert dossier.judul not in html and "CATATAN-INTERNAL-BIRO" not in html
    image = re.search(r'<img class="halaman" src="([^"]+)"', html).group(1)
    assert image == f"/verifikasi/{nota.token}/halaman/1/"
    png = Client().get(image)
    assert png.status_code == 200 and png["Content-Type"] == "image/png" and png.content.startswith(b"\x89PNG")
    assert Client().get(f"/verifikasi/{nota.token}/halaman/2/").status_code == 404
    assert Client().get("/verifikasi/" + "x" * 43 + "/halaman/1/").status_code == 404

    # The decree runs to several pages: the first is shown, every one on request.
    html = page_of(decree.token)
    count = int(re.search(r'id="jumlah-halaman">(\d+)<', html).group(1))
    assert count >= 2 and "Tentang" in html and decree.isian["tentang"] in html
    assert html.count('<img class="halaman"') == 1 and f"Tampilkan semua {count} halaman" in html
    every = text(Client().get(f"/verifikasi/{decree.token}/?halaman=semua"))
    assert every.count('<img class="halaman"') == count
    last = Client().get(f"/verifikasi/{decree.token}/halaman/{count}/")
    assert last.status_code == 200 and last.content.startswith(b"\x89PNG")
    assert "CATATAN-INTERNAL-BIRO" not in every


def test_a_signed_letter_keeps_the_addressees_it_was_signed_with(people, surat):
    dossier, first, second, _ = surat
    invited = Skpd.objects.get(nama_pendek="Dinkes") if Skpd.objects.filter(nama_pendek="Dinkes").exists() else \
        dossier.invited.order_by("pk").first()
    before = invited.nama
    addressed = second.tujuan_final.splitlines()
    assert addressed and any(before in line for line in addressed)
    invited.nama = "Dinas Kesehatan dan Keluarga Berencana"
    invited.save()
    html = page_of(second.final_token)
    assert all(line in html for line in addressed) and "Keluarga Berencana" not in html
    assert "Keluarga Berencana" in page_of(first.token)  # a draft prints as it stands


def test_old_documents_keep_the_token_printed_on_their_signed_pdf(people, surat):
    """Migration 0011: a document signed with one token for draft and final keeps that token for the
    signed document; its draft version gets a new one."""
    import importlib

    from django.apps import apps

    split = importlib.import_module("naskah.migrations.0011_token_per_version").split_tokens
    _, first, second, _ = surat
    old = second.final_token
    # As 0010 left it: one token, the one the signed PDF prints.
    NaskahRecord.objects.filter(pk=second.pk).update(token=old, final_token=None)
    unsigned_token = first.token
    split(apps, None)
    second.refresh_from_db()
    first.refresh_from_db()
    assert second.final_token == old and second.token not in (old, "") and first.token == unsigned_token
    assert first.final_token is None
    assert "Naskah yang ditandatangani." in page_of(old)
    assert "Konsep versi 2, bukan naskah yang ditandatangani." in page_of(second.token)
    assert len(new_token()) >= 40


def test_a_cancelled_rounds_last_draft_reads_as_never_to_be_signed(people, walk, tmp_path):
    """The Kabiro cancels the round with the Nota initialled and unsigned: its page, the uploaded
    print and verify_document say this draft will not be signed, not that it is not signed yet."""
    dossier = initialled(people, walk)
    nota = record.latest(dossier, DocKind.NOTA_DINAS)
    nota_print = cetak_pdf(people, dossier, DocKind.NOTA_DINAS)
    dossier.refresh_from_db()
    client_for(people, "kabiro").post(f"/dosier/{dossier.pk}/aksi/batalkan/", {
        "revision": dossier.revision, "state": dossier.state, "alasan": "Diulang dengan RPJMD baru"})
    dossier.refresh_from_db()
    assert dossier.state == "dibatalkan"
    never = "proses penetapannya dibatalkan, sehingga konsep ini tidak akan ditandatangani"
    page = page_of(nota.token)
    assert never in page and "belum ditandatangani" not in page
    assert "Diulang dengan RPJMD baru" not in page  # the bureau's reason stays inside
    assert never in uploaded_on(nota.token, nota_print)
    code, out = run(tmp_path, nota_print)
    assert code == 3 and never in out and "belum ditandatangani" not in out


def test_a_decreed_rounds_last_draft_decree_names_the_governors_decree(people, walk, tmp_path):
    """The draft decree went to the Governor, who signed it on paper; the Kasubag recorded its number
    and date. Someone scanning the QR code on that draft read "belum ditandatangani" and "Nomor
    (diberikan saat penetapan)" as if the decree were still on its way; the page, the uploaded print
    and verify_document now name the decree it became."""
    dossier = initialled(people, walk)
    draft = record.latest(dossier, DocKind.DRAFT_KEPGUB)
    draft_print = cetak_pdf(people, dossier, DocKind.DRAFT_KEPGUB)
    demo.walk_to(dossier, people, "di_gubernur")
    dossier.refresh_from_db()
    day = timezone.localdate()
    client_for(people, "kasubag").post(f"/dosier/{dossier.pk}/aksi/catat_penetapan/", {
        "revision": dossier.revision, "state": dossier.state, "nomor_kepgub": "188.44/77/HK/2027",
        "tanggal_kepgub": day.isoformat()})
    dossier.refresh_from_db()
    assert dossier.nomor_kepgub == "188.44/77/HK/2027"
    decreed = (f"sudah ditetapkan menjadi Keputusan Gubernur Nomor 188.44/77/HK/2027 tanggal {long_date(day)}, "
               "yang ditandatangani Gubernur di luar aplikasi ini")
    page = page_of(draft.token)
    assert decreed in page and "belum ditandatangani" not in page and "diberikan saat penetapan" not in page
    assert decreed in uploaded_on(draft.token, draft_print)
    code, out = run(tmp_path, draft_print)
    assert code == 3 and decreed in out and "belum ditandatangani" not in out
    # The Nota of the same round is not the decree: it was signed here and says so.
    assert "Keputusan Gubernur Nomor 188.44/77/HK/2027" not in page_of(record.latest(dossier, DocKind.NOTA_DINAS).token)


def test_a_decree_revised_by_a_later_round_of_its_year_says_so_where_its_draft_is_verified(people, walk, tmp_path):
    """The Governor had 2027's IKU revised after its decree: a second round of 2027 was decreed. Whoever
    scanned the first decree's draft read it was the decree in force, unchanged; the page, the uploaded
    print and verify_document now name the decree that amended it."""
    dossier = initialled(people, walk)
    draft = record.latest(dossier, DocKind.DRAFT_KEPGUB)
    draft_print = cetak_pdf(people, dossier, DocKind.DRAFT_KEPGUB)
    demo.walk_to(dossier, people, "di_gubernur")
    dossier.refresh_from_db()
    client_for(people, "kasubag").post(f"/dosier/{dossier.pk}/aksi/catat_penetapan/", {
        "revision": dossier.revision, "state": dossier.state, "nomor_kepgub": "188.44/77/HK/2027",
        "tanggal_kepgub": timezone.localdate().isoformat()})
    unchanged = page_of(draft.token)
    assert "188.44/77/HK/2027" in unchanged and "kemudian diubah" not in unchanged
    revision = walk("selesai", judul="Perubahan IKU 2027")
    amended = (f"Keputusan itu kemudian diubah dengan {revision.decree_text}: bagi Perangkat Daerah yang "
               "tercantum dalam lampiran perubahan itu, yang berlaku adalah perubahannya.")
    page = page_of(draft.token)
    assert amended in page and f"kemudian diubah dengan {revision.decree_text}" in page.split("Status", 1)[1]
    assert amended in uploaded_on(draft.token, draft_print)
    code, out = run(tmp_path, draft_print)
    assert code == 3 and amended in " ".join(out.split())


def test_a_signed_letter_of_a_round_cancelled_since_says_so_on_its_page(people, surat):
    """The Surat ke SKPD was signed, then the Kabiro cancelled the round: an agency head scanning the
    letter's QR read only "Naskah yang ditandatangani" and went on drafting the IKU it asks for. The
    page still says the letter is genuine and signed, and that its round was cancelled and what to
    do; not the bureau's reason."""
    dossier, _, second, _ = surat
    assert "dibatalkan" not in page_of(second.final_token)
    dossier.refresh_from_db()
    client_for(people, "kabiro").post(f"/dosier/{dossier.pk}/aksi/batalkan/", {
        "revision": dossier.revision, "state": dossier.state, "alasan": "Diulang dengan RPJMD baru"})
    dossier.refresh_from_db()
    assert dossier.state == "dibatalkan"
    page = page_of(second.final_token)
    assert "<strong>Naskah yang ditandatangani.</strong>" in page
    assert ('id="dibatalkan">Proses penetapan IKU yang menjadi dasar naskah ini kemudian dibatalkan. Naskah ini tetap '
            "asli dan ditandatangani sebagaimana tercantum, tetapi tidak ditindaklanjuti lagi") in page
    assert "<strong>Ditandatangani</strong>; proses penetapannya kemudian dibatalkan" in page
    assert "Diulang dengan RPJMD baru" not in page
