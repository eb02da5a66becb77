"""An agency's IKU through the API: the grid's rules, the same rows, warnings and errors as the XLSX
import of the same table, nothing saved on error, If-Match against the dossier's position, and the
token's name in the audit log."""

import io

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.utils import column_index_from_string

from api.models import Access
from iku import xlsx
from iku.columns import COLUMNS
from iku.models import IkuSubmission
from tests.api.helpers import as_token
from tests.factories import walk_to
from workflow.actions import DRAFT_IKU
from workflow.models import AuditEvent, Dossier
from workflow.steps import STEP_BY_NUMBER

ROWS = [
    {"sasaran_strategis": "Meningkatnya derajat kesehatan", "indikator": "Angka kematian ibu",
     "formula": "Kematian ibu / kelahiran hidup x 100.000", "satuan": "per 100.000 KH",
     "target": "150 (akhir RPJMD 2028)", "sumber_data": "Profil Kesehatan", "penanggung_jawab": "Bidang Kesmas"},
    {"indikator": "Prevalensi stunting", "satuan": "%", "target": "Turun"},
]


def url(dossier, what):
    return f"/api/v1/dosier/{dossier.pk}/iku-saya/{what}/"


def table(dossier):
    return f"/api/v1/dosier/{dossier.pk}/iku-saya/"


def tag(dossier):
    dossier.refresh_from_db()
    return f'"{dossier.pk}-{dossier.revision}-{dossier.state}"'


def test_an_agency_sends_its_table_and_the_log_names_the_token(people, walk):
    dossier = walk(STEP_BY_NUMBER[3].state)
    caller = as_token(people, "dinkes", nama="e-SAKIP Dinkes")
    response = caller.post(url(dossier, "kirim"), {"baris": ROWS, "catatan": "Konsep 2027"}, HTTP_IF_MATCH=tag(dossier))
    assert response.status_code == 200, response.content
    assert response.json()["detail"].startswith("Mengirim IKU SKPD berhasil: Konsep IKU dari")
    warned = {(w["baris"], w["kolom"]) for w in response.json()["peringatan"]}
    assert (2, "target") in warned and (2, "formula") in warned
    submission = IkuSubmission.objects.get(dossier=dossier, skpd=people["dinkes"].skpd)
    assert [r.indikator for r in submission.rows.all()] == ["Angka kematian ibu", "Prevalensi stunting"]
    assert submission.rows.first().target_periode == "akhir RPJMD 2028"
    event = AuditEvent.objects.filter(dossier=dossier).last()
    assert event.action == "ajukan_iku" and event.data["token_api"] == "e-SAKIP Dinkes"
    assert response["ETag"] == tag(dossier)


def test_errors_name_row_and_field_and_nothing_is_saved(people, walk):
    dossier = walk(STEP_BY_NUMBER[3].state)
    caller = as_token(people, "dinkes")
    bad = [ROWS[0], {"satuan": "%", "target": "1"}, {"indikator": "x", "satuan": "s" * 201}, {"warna": "merah"}]
    response = caller.post(url(dossier, "kirim"), {"baris": bad}, HTTP_IF_MATCH=tag(dossier))
    assert response.status_code == 400
    assert response.json()["kesalahan"] == [{"baris": 4, "kolom": "warna", "label": "",
                                             "pesan": response.json()["kesalahan"][0]["pesan"]}]
    response = caller.post(url(dossier, "kirim"), {"baris": bad[:3]}, HTTP_IF_MATCH=tag(dossier))
    assert response.status_code == 400
    errors = {(e["baris"], e["kolom"]): e["pesan"] for e in response.json()["kesalahan"]}
    assert errors == {(2, "indikator"): "Indikator kinerja utama wajib diisi.",
                      (3, "satuan"): "Satuan paling banyak 200 karakter; terisi 201."}
    assert not IkuSubmission.objects.filter(dossier=dossier).exists()
    # A draft may lack an indicator (as the grid's may) but never exceed a length.
    assert caller.post(url(dossier, "draf"), {"baris": bad[:3]}, HTTP_IF_MATCH=tag(dossier)).status_code == 400
    kept = caller.post(url(dossier, "draf"), {"baris": bad[:2]}, HTTP_IF_MATCH=tag(dossier))
    assert kept.status_code == 200 and kept.json()["kesalahan"][0]["kolom"] == "indikator"
    draft = IkuSubmission.objects.get(dossier=dossier)
    assert len(draft.draft) == 2 and draft.submitted_at is None
    # The page keeps drafts without an event; through a token each kept draft (and only it) is logged.
    logged = AuditEvent.objects.filter(dossier=dossier, action=DRAFT_IKU)
    assert [(e.note, e.data.get("token_api")) for e in logged] == [("Draf IKU Dinas Kesehatan: 2 baris", "Uji")], \
        [(e.pk, e.at, e.actor_label, e.note, e.data) for e in logged]
    assert caller.get(f"/api/v1/dosier/{dossier.pk}/iku-saya/").json()["asal"] == "draf"


def as_xlsx(rows) -> io.BytesIO:
    book = Workbook()
    sheet = book.active
    sheet.append([label for _, label in COLUMNS])
    for row in rows:
        sheet.append([row.get(name, "") for name, _ in COLUMNS])
    data = io.BytesIO()
    book.save(data)
    data.seek(0)
    data.name, data.size = "iku.xlsx", len(data.getvalue())
    return data


def said(problems) -> list[tuple]:
    """(row, column, message) of each problem of the sheet `as_xlsx` wrote: its heading is line 1,
    so its line 2 is the API's row 1, and its columns are COLUMNS in order from A."""
    return sorted((p.row - 1 if p.row else None, COLUMNS[column_index_from_string(p.column) - 1][0] if p.column else None,
                   p.message) for p in problems)


def answered(items) -> list[tuple]:
    return sorted((item["baris"], item["kolom"], item["pesan"]) for item in items)


def test_the_api_reads_a_table_as_the_xlsx_import_reads_it(people, walk):
    dossier = walk(STEP_BY_NUMBER[3].state)
    rows = ROWS + [{"satuan": "%"}, {"indikator": "Cakupan imunisasi", "target": "95"},
                   {"indikator": "Angka harapan hidup", "sumber_data": "s" * 501}]
    read = xlsx.read_upload(as_xlsx(rows))
    assert read.problems and read.warnings
    caller = as_token(people, "dinkes")
    response = caller.post(url(dossier, "kirim"), {"baris": rows}, HTTP_IF_MATCH=tag(dossier))
    assert response.status_code == 400
    # The same errors and warnings, each at the same row and column, in the same words.
    assert answered(response.json()["kesalahan"]) == said(read.problems)
    assert answered(response.json()["peringatan"]) == said(read.warnings)
    assert not IkuSubmission.objects.filter(dossier=dossier).exists()
    fixed = [r for r in rows if r.get("indikator") and len(r.get("sumber_data", "")) <= 500]
    sent = caller.post(url(dossier, "kirim"), {"baris": fixed}, HTTP_IF_MATCH=tag(dossier))
    assert sent.status_code == 200
    read = xlsx.read_upload(as_xlsx(fixed))
    assert answered(sent.json()["peringatan"]) == said(read.warnings) != []
    # The same rows kept, field by field, in the same order.
    stored = [r.as_dict() for r in IkuSubmission.objects.get(dossier=dossier).rows.all()]
    assert stored == read.rows and len(stored) == len(fixed)


def test_if_match_guards_the_position_not_another_agencys_send(people, walk):
    dossier = walk(STEP_BY_NUMBER[3].state)
    seen = tag(dossier)
    caller = as_token(people, "dinkes")
    assert caller.post(url(dossier, "kirim"), {"baris": ROWS}).status_code == 428
    # Dinas Sosial sends meanwhile: the revision moves, the position does not; Dinkes still sends.
    assert as_token(people, "dinsos").post(url(dossier, "kirim"), {"baris": ROWS}, HTTP_IF_MATCH=seen).status_code == 200
    assert caller.post(url(dossier, "kirim"), {"baris": ROWS}, HTTP_IF_MATCH=seen).status_code == 200
    moved = walk(STEP_BY_NUMBER[3].state)
    old = tag(moved)
    walk_to(moved, people, STEP_BY_NUMBER[4].state)
    response = caller.post(url(moved, "kirim"), {"baris": ROWS}, HTTP_IF_MATCH=old)
    assert response.status_code == 412
    # Told in the API's words what moved since the version it sent, not of a page it never opened.
    assert response.json()["detail"] == (
        f"Dosier ini sudah berubah sejak revisi {old.split('-')[1]} yang Anda baca (di Langkah 3: Workshop "
        f"penetapan IKU): sekarang revisi {Dossier.objects.get(pk=moved.pk).revision}, di Langkah 4: Surat ke SKPD "
        f"untuk menyusun IKU. Perubahan tidak disimpan. Baca dosier lagi (GET /api/v1/dosier/{moved.pk}/) untuk "
        "melihat yang berubah, lalu kirim lagi dengan ETag barunya di If-Match (ETag dosier sekarang ada di header "
        "jawaban ini).")
    assert response["ETag"] == tag(moved)


def test_only_the_invited_agency_at_its_stage_may_send_and_a_read_token_never(people, walk):
    dossier = walk(STEP_BY_NUMBER[3].state)
    assert as_token(people, "dishub").post(url(dossier, "kirim"), {"baris": ROWS}, HTTP_IF_MATCH=tag(dossier)).status_code == 404
    refused = as_token(people, "kasubag").post(url(dossier, "kirim"), {"baris": ROWS}, HTTP_IF_MATCH=tag(dossier))
    assert refused.status_code == 403 and "tidak berwenang" in refused.json()["detail"]
    reader = as_token(people, "dinkes", Access.READ)
    assert reader.post(url(dossier, "kirim"), {"baris": ROWS}, HTTP_IF_MATCH=tag(dossier)).status_code == 403
    assert not IkuSubmission.objects.filter(dossier=dossier).exists()


def test_a_program_writing_over_a_table_changed_since_it_read_it_is_refused_not_silently_obeyed(people, walk):
    dossier = walk(STEP_BY_NUMBER[3].state)
    program, officer = as_token(people, "dinkes", nama="e-SAKIP"), as_token(people, "dinkes", nama="petugas")
    read = program.get(table(dossier)).json()
    assert read["tanda_tabel"] == {"versi": "0", "draf": "", "skpd": str(people["dinkes"].skpd_id), "baris_terkirim": ""}
    saved = officer.post(url(dossier, "draf"), {"baris": ROWS, "catatan": "Dari petugas"}, HTTP_IF_MATCH=tag(dossier))
    assert saved.status_code == 200
    for what in ("draf", "kirim"):
        late = program.post(url(dossier, what), {"baris": ROWS[:1], "tanda_tabel": read["tanda_tabel"]},
                            HTTP_IF_MATCH=tag(dossier))
        assert late.status_code == 409, late.content
        # Of the tanda_tabel it sent and what to read again, not of "the page opened" and the form "below".
        detail = late.json()["detail"]
        assert detail.startswith("Tabel ini sudah disimpan lagi sebagai draf dari halaman atau program lain sejak "
                                 "tanda_tabel yang Anda kirim dibaca ("), detail
        assert detail.endswith(
            f"). Tidak ada yang disimpan. Baca tabel lagi (GET /api/v1/dosier/{dossier.pk}/iku-saya/), bandingkan, lalu "
            "kirim lagi dengan tanda_tabel barunya (ada di jawaban ini) bila baris Anda memang yang benar."), detail
    again = program.get(table(dossier)).json()
    assert len(again["baris"]) == 2 and again["catatan"] == "Dari petugas"
    assert program.post(url(dossier, "draf"), {"baris": ROWS[:1], "tanda_tabel": again["tanda_tabel"]},
                        HTTP_IF_MATCH=tag(dossier)).status_code == 200


def test_a_draft_saved_without_a_note_keeps_the_note_and_rows_are_counted_as_sent(people, walk):
    dossier = walk(STEP_BY_NUMBER[3].state)
    caller = as_token(people, "dinkes")
    caller.post(url(dossier, "draf"), {"baris": ROWS, "catatan": "Catatan penting untuk Biro"}, HTTP_IF_MATCH=tag(dossier))
    caller.post(url(dossier, "draf"), {"baris": ROWS}, HTTP_IF_MATCH=tag(dossier))
    assert caller.get(table(dossier)).json()["catatan"] == "Catatan penting untuk Biro"
    sent = [ROWS[0], {}, {"indikator": "Cakupan imunisasi", "target": "Meningkat"}, {"indikator": "", "target": "5"}]
    response = caller.post(url(dossier, "kirim"), {"baris": sent}, HTTP_IF_MATCH=tag(dossier))
    assert response.status_code == 400
    errors = {(e["baris"], e["kolom"]) for e in response.json()["kesalahan"]}
    warned = {(w["baris"], w["kolom"]) for w in response.json()["peringatan"]}
    assert (4, "indikator") in errors and (3, "target") in warned, (errors, warned)
    assert caller.post(url(dossier, "kirim"), {"baris": ROWS}, HTTP_IF_MATCH=tag(dossier)).status_code == 200
    assert IkuSubmission.objects.get(dossier=dossier, skpd=people["dinkes"].skpd).catatan == "Catatan penting untuk Biro"


def test_a_send_retried_with_the_same_idempotency_key_makes_one_version(people, walk):
    dossier = walk(STEP_BY_NUMBER[3].state)
    caller = as_token(people, "dinkes")
    key = "5f0c8a8e-3b8e-4e8a-9a52-0c1f3b1d2e77"
    first = caller.post(url(dossier, "kirim"), {"baris": ROWS}, HTTP_IF_MATCH=tag(dossier), HTTP_IDEMPOTENCY_KEY=key)
    again = caller.post(url(dossier, "kirim"), {"baris": ROWS}, HTTP_IF_MATCH=tag(dossier), HTTP_IDEMPOTENCY_KEY=key)
    assert first.status_code == 200 and again.status_code == 200 and again.json()["sudah_diterima"] is True
    submission = IkuSubmission.objects.get(dossier=dossier, skpd=people["dinkes"].skpd)
    assert submission.versions.count() == 1
    assert AuditEvent.objects.filter(dossier=dossier, action="ajukan_iku").count() == 1
    # Another key sends again; someone else's key is refused without a word about what it made.
    other = as_token(people, "dinsos").post(url(dossier, "kirim"), {"baris": ROWS}, HTTP_IF_MATCH=tag(dossier),
                                            HTTP_IDEMPOTENCY_KEY=key)
    # In a program's words, not the page's "Buka lagi formulirnya": what to send instead.
    assert other.status_code == 409 and other.json() == {"detail": (
        "Idempotency-Key ini sudah dipakai pengguna lain, jadi permintaan ini tidak dicatat. Kirim lagi permintaan "
        "yang sama dengan kunci baru buatan Anda sendiri (mis. UUID baru); kunci yang sama dipakai hanya untuk "
        "mengirim ulang permintaan Anda sendiri.")}
    assert caller.post(url(dossier, "kirim"), {"baris": ROWS}, HTTP_IF_MATCH=tag(dossier),
                       HTTP_IDEMPOTENCY_KEY=key.replace("5f0c", "6a1d")).status_code == 200
    assert submission.versions.count() == 2


def test_the_same_key_with_other_rows_or_at_another_address_is_refused_not_taken_as_received(people, walk):
    """The second table under the first's key was answered 200 "sudah diterima" and dropped unsaid:
    the program believed it kept. The schema promised 409 for a key used for another body."""
    dossier = walk(STEP_BY_NUMBER[3].state)
    caller = as_token(people, "dinkes")
    key = "draf-dinkes-2027-0000000001"
    first = caller.post(url(dossier, "draf"), {"baris": ROWS}, HTTP_IF_MATCH=tag(dossier), HTTP_IDEMPOTENCY_KEY=key)
    assert first.status_code == 200, first.content
    other = [{**ROWS[0], "target": "140"}]
    for where, body in (("draf", {"baris": other}), ("kirim", {"baris": ROWS})):
        refused = caller.post(url(dossier, where), body, HTTP_IF_MATCH=tag(dossier), HTTP_IDEMPOTENCY_KEY=key)
        assert refused.status_code == 409, refused.content
        assert refused.json()["detail"].startswith("Idempotency-Key ini sudah dipakai untuk permintaan lain")
    submission = IkuSubmission.objects.get(dossier=dossier, skpd=people["dinkes"].skpd)
    assert submission.draft[0]["target"] == ROWS[0]["target"] and submission.submitted_at is None
    # The same rows again, their keys in another order, are the retry they are.
    again = caller.post(url(dossier, "draf"), {"baris": [dict(reversed(ROWS[0].items())), ROWS[1]]},
                        HTTP_IF_MATCH=tag(dossier), HTTP_IDEMPOTENCY_KEY=key)
    assert again.status_code == 200 and again.json()["sudah_diterima"] is True


def test_a_meeting_recorded_again_with_the_same_key_is_recorded_once(people, walk):
    dossier = walk(STEP_BY_NUMBER[5].state)
    caller = as_token(people, "kasubag")
    held = timezone.localtime()
    meeting = {"held_at": f"{held:%Y-%m-%dT%H:%M}", "tempat": "Ruang Rapat Biro Kesra", "pimpinan": "Kepala Biro",
               "ringkasan": "Pembahasan IKU Dinas Kesehatan"}
    answers = [caller.post(f"/api/v1/dosier/{dossier.pk}/aksi/catat_rapat/", meeting, HTTP_IF_MATCH=tag(dossier),
                           HTTP_IDEMPOTENCY_KEY="rapat-2027-02-03-dinkes-01") for _ in range(2)]
    assert [a.status_code for a in answers] == [200, 200], answers[0].content
    assert AuditEvent.objects.filter(dossier=dossier, action="catat_rapat").count() == 1


def test_a_send_that_meets_another_save_under_the_lock_is_a_409_with_the_new_marks(people, walk, monkeypatch):
    """The officer's draft lands after the program's send passed its form's check and before it held
    the dossier's lock: the send was refused 400 in the grid page's words ("sejak halaman ini dibuka.
    Isian Anda masih di bawah"), with no new tanda_tabel, which a program reads as rows to fix. It is
    the 409 the same send a moment later gets, in a program's words, with the table's new marks."""
    from iku.table import save_draft
    from workflow import services
    from workflow.steps import IkuStage

    dossier = walk(STEP_BY_NUMBER[3].state)
    program = as_token(people, "dinkes", nama="e-SAKIP")
    read = program.get(table(dossier)).json()
    perform = services.perform

    def officer_saves_first(*args, **kwargs):
        save_draft(dossier, people["dinkes"].skpd, IkuStage.KONSEP, [ROWS[0]], timezone.now(), by=people["dinkes"])
        return perform(*args, **kwargs)

    monkeypatch.setattr(services, "perform", officer_saves_first)
    late = program.post(url(dossier, "kirim"), {"baris": ROWS, "tanda_tabel": read["tanda_tabel"]},
                        HTTP_IF_MATCH=tag(dossier))
    assert late.status_code == 409, late.content
    assert late.json()["detail"].startswith("Tabel ini sudah disimpan lagi sebagai draf dari halaman atau program lain "
                                            "sejak tanda_tabel yang Anda kirim dibaca (")
    assert late.json()["tanda_tabel"]["draf"] != "" and "kesalahan" not in late.json()
    submission = IkuSubmission.objects.get(dossier=dossier, skpd=people["dinkes"].skpd)
    assert submission.submitted_at is None and len(submission.draft) == 1
