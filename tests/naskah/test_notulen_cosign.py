"""The Notulen's Pencatat signs beside the chair (issue 25): the Kasubag chairs and signs by finishing
the meeting's step, then the Staf the minutes name as Pencatat signs on their own page. Both
signatures validate, each in its own box with its signer, and the verification page and
verify_document show both; a change after the signatures other than the Pencatat's own is still
"diubah". Only the person named as Pencatat may sign, after the chair, once; each signature is an
audit event."""

import datetime as dt
import io
import re

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.test import Client
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pypdf import PdfReader

from naskah import cosign, pades, record, signers, verification
from naskah.models import SigningMethod
from tests.factories import client_for
from tests.naskah.helpers import altered, generate
from tests.naskah.test_verification_states import forged_certificate, run, uploaded_on
from workflow import demo
from workflow.actions import COSIGN, Action
from workflow.demo import DEMO_PASSWORD
from workflow.gates import GateError
from workflow.models import AuditEvent
from workflow.steps import STEP_BY_NUMBER, DocKind, Signatory

PENCATAT_FIELD = record.PLACES[Signatory.PENCATAT][0]
NIK_STAF = "6171010707910008"


def text_of(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


@pytest.fixture
def chaired(people, walk):
    """A dossier past step 2: the Staf made the minutes (the Kasubag chairing, the Staf taking
    them), the Kasubag finished the step and so signed them as chair."""
    dossier = walk(STEP_BY_NUMBER[2].state)
    generate(client_for(people, "staf"), dossier, DocKind.NOTULEN_PERSIAPAN)
    demo.finish(dossier, people["kasubag"])
    return dossier


def notulen(dossier):
    return record.latest(dossier, DocKind.NOTULEN_PERSIAPAN)


def widgets(pdf: bytes) -> dict:
    """{field name: (page from 0, rect)} of every signature widget."""
    found = {}
    for number, page in enumerate(PdfReader(io.BytesIO(pdf)).pages):
        for annot in page.get("/Annots") or ():
            widget = annot.get_object()
            if widget.get("/FT") == "/Sig":
                found[widget["/T"]] = number, [round(float(v)) for v in widget["/Rect"]]
    return found


def test_the_chair_signs_first_leaving_the_pencatats_place_then_the_pencatat_signs_beside(people, chaired):
    made = notulen(chaired)
    first = record.served_bytes(made)
    [chair] = pades.validate(first)
    assert chair.sah and chair.kolom == pades.FIELD and chair.nama.startswith("Rina Marlina")
    # The Pencatat's place is left empty, in the left block, level with the chair's stamp.
    assert pades.empty_fields(first) == [PENCATAT_FIELD]
    places = widgets(first)
    (page, chair_box), (same_page, pencatat_box) = places[pades.FIELD], places[PENCATAT_FIELD]
    assert page == same_page and pencatat_box[2] < chair_box[0] and abs(pencatat_box[1] - chair_box[1]) < 5
    assert cosign.offered(people["staf"], chaired) == [(made, Signatory.PENCATAT)]
    assert cosign.offered(people["kasubag"], chaired) == []

    event = cosign.sign(made, people["staf"])

    made.refresh_from_db()
    both = record.served_bytes(made)
    assert both.startswith(first) and pades.empty_fields(both) == []
    chair, pencatat = pades.validate(both)
    assert chair.sah and chair.tanpa_perubahan and chair.kolom == pades.FIELD
    assert pencatat.sah and pencatat.kolom == PENCATAT_FIELD and pencatat.nama.startswith("Andi Saputra")
    assert widgets(both)[PENCATAT_FIELD] == places[PENCATAT_FIELD]
    assert event.action == COSIGN and event.actor == people["staf"] and event.data["sebagai"] == Signatory.PENCATAT
    assert "Notulen rapat persiapan" in event.note and "sebagai Pencatat" in event.note
    signed_events = AuditEvent.objects.filter(dossier=chaired).filter(
        action__in=[Action.SELESAIKAN, COSIGN], from_state=STEP_BY_NUMBER[2].state)
    assert signed_events.count() == 1  # the chair's (the step's finishing); the Pencatat's is logged at step 3
    assert AuditEvent.objects.filter(dossier=chaired, action=COSIGN).count() == 1
    # Once signed, nobody is asked again.
    assert cosign.offered(people["staf"], chaired) == []
    with pytest.raises(PermissionDenied):
        cosign.sign(made, people["staf"])


def test_only_the_person_named_as_pencatat_may_sign(people, chaired):
    made = notulen(chaired)
    for username in ("kasubag", "kabag", "kabiro", "dinkes", "admin"):
        with pytest.raises(PermissionDenied):
            cosign.sign(made, people[username])
    assert pades.empty_fields(record.served_bytes(made)) == [PENCATAT_FIELD]


def test_a_change_after_the_two_signatures_is_still_diubah(people, chaired, tmp_path, capsys):
    made = notulen(chaired)
    cosign.sign(made, people["staf"])
    made.refresh_from_db()
    both = record.served_bytes(made)
    # An incremental update after both signatures that writes on the page (a content stream added).
    writer = IncrementalPdfFileWriter(io.BytesIO(both))
    page = writer.root["/Pages"]["/Kids"][0].get_object()
    contents = page.raw_get("/Contents")
    written = writer.add_object(generic.StreamObject(stream_data=b"q 0 0 1 rg 72 72 200 20 re f Q"))
    page["/Contents"] = generic.ArrayObject(
        [*(contents if isinstance(contents, generic.ArrayObject) else [contents]), written])
    writer.update_container(page)
    out = io.BytesIO()
    writer.write(out)
    changed = out.getvalue()
    checks = pades.validate(changed)
    assert len(checks) == 2 and not any(check.tanpa_perubahan for check in checks)
    assert verification.verify(changed).outcome == verification.DIUBAH
    # The file as kept, both signatures on it, is the record.
    path = tmp_path / "notulen.pdf"
    path.write_bytes(both)
    call_command("verify_document", str(path))
    out = capsys.readouterr().out
    assert out.startswith("Asli") and out.count("Sah: utuh") == 2


def signed_by_another_as_pencatat(pdf: bytes) -> bytes:
    return pades.sign(pdf, forged_certificate(), pades.Signer("Pemalsu", "Pencatat", "", "Pontianak"), page=None,
                      box=None, at=dt.datetime.now(dt.timezone.utc), field=PENCATAT_FIELD)


def test_a_copy_saved_before_the_pencatat_signed_is_genuine_but_not_the_record(people, chaired, tmp_path, settings):
    made = notulen(chaired)
    chair_only = record.served_bytes(made)
    cosign.sign(made, people["staf"])
    made.refresh_from_db()
    both = record.served_bytes(made)
    unsigned = chair_only[:chair_only.index(b"%%EOF") + len(b"%%EOF\n")]
    assert pades.validate(unsigned) == [] and both.startswith(unsigned)
    earlier = "Belum lengkap, bukan naskah final: berkas ini sama persis dengan Notulen rapat persiapan"
    # (file, exit code, what verify_document says first, what the signed Notulen's page says of it)
    table = [
        ("both signed", both, 0, "Asli:"),
        ("chair only, awaiting the Pencatat", chair_only, 3, earlier),
        ("chair only, changed", altered(chair_only), 1, "Diubah:"),
        ("chair only, appended to", chair_only + b"\n% ditambah sesudahnya\n", 1, "Diubah:"),
        ("chair only, signed by another as Pencatat", signed_by_another_as_pencatat(chair_only), 1, "Diubah:"),
        ("before any signature", unsigned, 1, "Diubah:"),
    ]
    wrong = []
    for name, data, code, says in table:
        got, out = run(tmp_path, data)
        if (got, out.splitlines()[0][:len(says)]) != (code, says):
            wrong.append((name, got, out))
        if says not in uploaded_on(made.final_token, data):
            wrong.append((name, "unggahan"))
    assert wrong == []

    _, out = run(tmp_path, chair_only)
    site = settings.SOP_SITE_URL.rstrip("/")
    assert "sebelum ditandatangani Pencatat" in out and "ditandatangani juga oleh Pencatat" in out
    assert f"Naskah yang ditandatangani: {site}/verifikasi/{made.final_token}/" in out
    assert "Rina Marlina" in out and "Sah" in out  # the chair's signature in that copy, validated
    answer = uploaded_on(made.final_token, chair_only)
    assert 'class="msg warning" id="hasil"' in answer
    assert f'<a href="/verifikasi/{made.final_token}/#halaman">Lihat naskah final Notulen rapat persiapan' in answer
    # On the page of the draft it was made from, it is named for what it is and sent to its own page.
    elsewhere = uploaded_on(made.token, chair_only)
    assert ("Bukan naskah ini: berkas yang diunggah adalah Notulen rapat persiapan" in elsewhere
            and "sebelum ditandatangani Pencatat; lihat" in elsewhere
            and f'<a href="/verifikasi/{made.final_token}/">halaman verifikasinya</a>' in elsewhere)


def test_the_verification_page_shows_both_signers(people, chaired):
    made = notulen(chaired)
    cosign.sign(made, people["staf"])
    made.refresh_from_db()
    page = text_of(Client().get(f"/verifikasi/{made.final_token}/"))
    assert "Pimpinan rapat" in page and "Pencatat" in page
    assert "Rina Marlina" in page and "Andi Saputra" in page and page.count("Sah: utuh") == 2
    # The headline names both, not only the chair.
    headline = page[page.index("Naskah yang ditandatangani."):page.index("Naskah yang ditandatangani.") + 400]
    assert "Rina Marlina" in headline and " dan Andi Saputra" in headline, headline


def test_the_pencatat_signs_on_their_own_page_with_their_password(people, chaired):
    made = notulen(chaired)
    people["staf"].set_password(DEMO_PASSWORD)
    people["staf"].save()
    staf = client_for(people, "staf")
    url = f"/dosier/{chaired.pk}/tandatangani/{made.document.pk}/"
    assert url in text_of(staf.get(f"/dosier/{chaired.pk}/"))
    assert url not in text_of(client_for(people, "kasubag").get(f"/dosier/{chaired.pk}/"))
    assert client_for(people, "kasubag").get(url).status_code == 403
    page = text_of(staf.get(url))
    assert "Tandatangani Notulen rapat persiapan sebagai Pencatat" in page and 'name="kata_sandi"' in page

    wrong = staf.post(url, {"kata_sandi": "bukan-sandinya"})
    assert wrong.status_code == 200 and "Kata sandi salah" in text_of(wrong)
    assert pades.empty_fields(record.served_bytes(notulen(chaired))) == [PENCATAT_FIELD]

    done = staf.post(url, {"kata_sandi": DEMO_PASSWORD})
    assert done.status_code == 302
    assert len(pades.validate(record.served_bytes(notulen(chaired)))) == 2
    history = text_of(staf.get(f"/dosier/{chaired.pk}/"))
    assert "Menandatangani naskah" in history and "sebagai Pencatat" in history and url not in history
    assert staf.get(url).status_code == 403


def test_the_pencatat_reads_the_minutes_page_by_page_where_they_sign(people, chaired):
    """The Pencatat's page offered only a link to the PDF, where every other signing page shows the
    document's pages above the button: on a phone, the minutes went unread or into another app."""
    made = notulen(chaired)
    staf = client_for(people, "staf")
    html = staf.get(f"/dosier/{chaired.pk}/tandatangani/{made.document.pk}/").content.decode()
    images = re.findall(r'<img class="halaman" src="([^"]+)"', html)
    assert images and images[0] == f"/dosier/{chaired.pk}/halaman/{DocKind.NOTULEN_PERSIAPAN}/1/"
    assert "Notulen rapat persiapan</strong> · versi 1, ditandatangani" in html
    assert html.index('<a href="#keputusan">') < html.index(images[0]) < html.index('id="keputusan"') < html.index(
        '<form method="post" class="card"')
    image = staf.get(images[0])
    assert image.status_code == 200 and image.content.startswith(b"\x89PNG")


def test_where_the_step_data_puts_the_pencatat_first_the_chair_signs_second(people, walk, monkeypatch):
    first_pencatat = (Signatory.PENCATAT, Signatory.PIMPINAN)
    for module in (record, cosign):
        monkeypatch.setattr(module, "signatories_of", lambda kind: first_pencatat)
    dossier = walk(STEP_BY_NUMBER[2].state)
    generate(client_for(people, "staf"), dossier, DocKind.NOTULEN_PERSIAPAN)
    with pytest.raises(GateError, match="belum ditandatangani Pencatat"):
        demo.finish(dossier, people["kasubag"])
    made = notulen(dossier)
    assert not made.is_final and cosign.offered(people["staf"], dossier) == [(made, Signatory.PENCATAT)]

    cosign.sign(made, people["staf"])
    made.refresh_from_db()
    assert made.is_final and pades.empty_fields(record.served_bytes(made)) == [pades.FIELD]
    demo.finish(dossier, people["kasubag"])

    made.refresh_from_db()
    pencatat, chair = pades.validate(record.served_bytes(made))
    assert pencatat.sah and pencatat.kolom == PENCATAT_FIELD and pencatat.nama.startswith("Andi Saputra")
    assert chair.sah and chair.kolom == pades.FIELD and chair.nama.startswith("Rina Marlina")
    assert dossier.events.filter(action=COSIGN).count() == 1



def test_a_pencatat_set_to_bsre_signs_through_it_and_renewal_completes_that_signature(
        people, chaired, standin, capsys):
    """The stand-in signs beside the chair's B-LTA signature without validation data of its own (it
    cannot check the site's timestamp): B-T, valid while the certificate is; renew_timestamps adds
    its chain and BSrE's revocation list, then a document timestamp, so it outlives the certificate."""
    standin.register(NIK_STAF, "passphrase-staf", "Andi Saputra (BSrE DEMO)")
    SigningMethod.objects.create(pejabat=people["staf"], cara=SigningMethod.Cara.BSRE)
    made = notulen(chaired)
    cosign.sign(made, people["staf"], signers.Plan(signers.BSRE, nik=NIK_STAF, passphrase="passphrase-staf"))
    made.refresh_from_db()
    signed = record.served_bytes(made)
    chair, pencatat = pades.validate(signed)
    assert chair.sah and pencatat.sah and pencatat.tingkat == "PAdES B-T" and pencatat.penanda.startswith("Andi")
    assert cosign.offered(people["staf"], chaired) == []
    assert AuditEvent.objects.get(dossier=chaired, action=COSIGN).data["tanda_tangan"] == signers.LABELS[signers.BSRE]
    later = dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=5 * 365)
    assert not pades.validate(signed, moment=later)[1].sah

    call_command("renew_timestamps")
    assert "1 diperbarui" in capsys.readouterr().out
    made.refresh_from_db()
    chair, pencatat = pades.validate(record.served_bytes(made), moment=later)
    assert chair.sah and pencatat.sah and pencatat.tingkat == "PAdES B-LTA"


def test_the_pencatats_page_asks_few_queries_and_hostile_input_signs_nothing(people, chaired, django_assert_max_num_queries):
    made = notulen(chaired)
    staf = client_for(people, "staf")
    url = f"/dosier/{chaired.pk}/tandatangani/{made.document.pk}/"
    staf.get(url)
    # The session, the Staf and their roles, the dossier, its record, who may sign it and how, the
    # notices, the minutes' pages (their latest version, its stored file): 15 now, at most 20.
    with django_assert_max_num_queries(20):
        assert staf.get(url).status_code == 200
    before = record.served_bytes(notulen(chaired))
    for value in ("", " ", "x" * 20_000, "\x00\x1b[31m", "\ufeff\ud7ff", "<script>", "9" * 40, "0001-01-01"):
        for data in ({"kata_sandi": value}, {"kata_sandi": [value, value + "x"]}, {"nik": value, "passphrase": value}):
            response = staf.post(url, data)
            assert response.status_code < 500, (data, response.status_code)
    assert record.served_bytes(notulen(chaired)) == before
    assert not AuditEvent.objects.filter(dossier=chaired, action=COSIGN).exists()


def test_the_public_page_of_the_cosigned_notulen_asks_few_queries(people, chaired, django_assert_max_num_queries):
    """Its page, and its answer to the copy saved before the Pencatat signed, ask no more as the
    Notulen gains signatures: the trusted roots are read once for all its signatures, and the
    minutes' stored form data is cleaned without working out the blank form's defaults (the chair
    and the clerk read again). 9 and 21 now; 14 and 26 before both."""
    made = notulen(chaired)
    chair_only = record.served_bytes(made)
    cosign.sign(made, people["staf"])
    made.refresh_from_db()
    visitor = Client()
    url = f"/verifikasi/{made.final_token}/"
    visitor.get(url)
    with django_assert_max_num_queries(9):
        assert visitor.get(url).status_code == 200
    with django_assert_max_num_queries(21):
        answer = visitor.post(url, {"berkas": io.BytesIO(chair_only)}, format="multipart")
    assert "Belum lengkap, bukan naskah final" in text_of(answer)
