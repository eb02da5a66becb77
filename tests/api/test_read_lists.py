"""The dossier list's filters, cursor pages, short form and query counts; a dossier's ETag; the
documents' verification by token and SHA-256; the report's figures."""

import datetime as dt
import hashlib
import time

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from iku.models import IkuRow, IkuSubmission
from iku.table import to_rows
from naskah.models import NaskahRecord
from tests.api.helpers import as_token
from tests.factories import client_for, open_dossier
from tests.naskah.helpers import generate, signed_nota
from workflow import services
from workflow.actions import Action
from workflow.models import Document, Dossier
from workflow.steps import SELESAI, STEP_BY_NUMBER, DocKind, IkuStage

LIST = "/api/v1/dosier/"


def test_filters_by_year_position_agency_and_late(people, walk):
    at_three = walk(STEP_BY_NUMBER[3].state)
    at_one = walk(STEP_BY_NUMBER[1].state)
    Dossier.objects.filter(pk=at_one.pk).update(tahun=2026, due_at=timezone.now() - dt.timedelta(hours=1))
    caller = as_token(people, "kasubag")

    def ids(**query):
        response = caller.get(LIST, query)
        assert response.status_code == 200, response.content
        return {d["id"] for d in response.json()["results"]}

    assert ids(tahun=2026) == {at_one.pk}
    assert ids(posisi=STEP_BY_NUMBER[3].state) == {at_three.pk}
    assert ids(skpd=people["dinkes"].skpd_id) == {at_three.pk, at_one.pk}
    assert ids(skpd=people["dishub"].skpd_id) == set()
    assert ids(terlambat="true") == {at_one.pk}
    assert at_one.pk not in ids(terlambat="false")
    bad = caller.get(LIST, {"tahun": "abc", "posisi": "bukan"})
    assert bad.status_code == 400
    # Shaped as a form's refusal: a detail to show, each parameter's messages under kesalahan.
    assert "Posisi tidak dikenal." in bad.json()["detail"] and bad.json()["kesalahan"]["posisi"] == ["Posisi tidak dikenal."]
    assert set(bad.json()["kesalahan"]) == {"tahun", "posisi"}
    # Anything but true/false is refused, not read as "no filter" (every dossier listed as late).
    vague = caller.get(LIST, {"terlambat": "ya"})
    assert vague.status_code == 400 and vague.json()["kesalahan"] == {"terlambat": ["terlambat harus true atau false."]}


@pytest.mark.parametrize(("query", "refused"), [
    ({"tahun": "2027.5"}, {"tahun": ["Tahun harus bilangan bulat (mis. 2027)."]}),
    ({"skpd": "1.5"}, {"skpd": ["Nomor SKPD harus bilangan bulat."]}),
    ({"dibuat": "2027-01-01"}, {"dibuat": ["Parameter tidak dikenal. Yang dikenal: tahun, posisi, skpd, terlambat, "
                                           "kursor, ukuran, ringkas, format."]}),
    ({"tahun": ["2026", "2027"]}, {"tahun": ["tahun disebut lebih dari sekali; sebut sekali saja."]}),
    ({"ukuran": "abc"}, {"ukuran": ["ukuran harus bilangan bulat 1 sampai 100."]}),
    ({"ukuran": "0"}, {"ukuran": ["ukuran harus bilangan bulat 1 sampai 100."]}),
    ({"ukuran": "500"}, {"ukuran": ["ukuran harus bilangan bulat 1 sampai 100."]}),
    ({"ukuran": "\x00"}, {"ukuran": ["ukuran harus bilangan bulat 1 sampai 100."]}),
    ({"ukuran": "9" * 5000}, {"ukuran": ["ukuran harus bilangan bulat 1 sampai 100."]}),
])
def test_a_list_parameter_it_cannot_honour_is_refused_not_ignored(people, walk, query, refused):
    """Each was answered 200 with another list than asked: 2027's rounds for 2027.5, every round for
    an unknown or repeated filter, 25 or 100 dossiers for a size it is not."""
    walk(STEP_BY_NUMBER[3].state)
    response = as_token(people, "kasubag").get(LIST, query)
    assert response.status_code == 400 and response.json()["kesalahan"] == refused


def test_cursor_pages_walk_every_dossier_once_and_the_short_form_is_short(people):
    made = {open_dossier(people, f"Dosier {n}").pk for n in range(5)}
    caller = as_token(people, "kabiro")
    seen, url = [], f"{LIST}?ukuran=2&ringkas=1"
    while url:
        page = caller.get(url).json()
        seen += [d["id"] for d in page["results"]]
        assert set(page["results"][0]) == {"id", "tahun", "judul", "posisi", "langkah", "revisi"}
        url = page["next"]
    assert sorted(seen) == sorted(made) and len(seen) == len(set(seen))


def count_queries(caller, url, **headers) -> int:
    """The statements a read asks: a conditional one (If-None-Match) answered 304, any other 200."""
    with CaptureQueriesContext(connection) as queries:
        assert caller.get(url, **headers).status_code == (304 if "HTTP_IF_NONE_MATCH" in headers else 200)
    return len(queries)


@pytest.fixture(autouse=True)
def quota_window_held(monkeypatch):
    """The quota's window does not turn between the counts: the first request of a new window writes
    its row (two statements more), which a slow run crossing a minute's edge counted as the read's
    own cost."""
    import types

    from throttle import limits

    moment = time.time()
    monkeypatch.setattr(limits, "time", types.SimpleNamespace(time=lambda: moment))


def test_a_list_costs_the_same_queries_for_two_dossiers_or_eight(people):
    callers = {name: as_token(people, name) for name in ("kasubag", "dinkes")}
    for caller in callers.values():
        # The token's first use notes when it was used, and opens its quota's window: once, not per list.
        caller.get(LIST)
    for n in range(2):
        open_dossier(people, f"A{n}")
    small = {name: [count_queries(c, LIST), count_queries(c, LIST + "?ringkas=1")] for name, c in callers.items()}
    for n in range(6):
        open_dossier(people, f"B{n}")
    large = {name: [count_queries(c, LIST), count_queries(c, LIST + "?ringkas=1")] for name, c in callers.items()}
    assert small == large
    assert large["kasubag"][0] <= 12, large


def test_a_dossier_answers_with_its_etag_and_304_while_unchanged(people, dossier):
    caller = as_token(people, "kasubag")
    first = caller.get(f"/api/v1/dosier/{dossier.pk}/")
    tag = first["ETag"]
    last = dossier.events.order_by("-pk").first().pk
    dossier.refresh_from_db()
    assert tag.startswith(f'"{dossier.pk}-{dossier.revision}-{dossier.state}-{last}-{int(dossier.due_at.timestamp())}-n')
    assert caller.get(f"/api/v1/dosier/{dossier.pk}/", HTTP_IF_NONE_MATCH=tag).status_code == 304


def test_an_event_that_moves_nothing_or_the_step_running_late_is_not_answered_304(people, walk):
    dossier = walk(STEP_BY_NUMBER[3].state)
    reader, agency = as_token(people, "kabiro"), as_token(people, "dinkes", nama="e-SAKIP Dinkes")
    url = f"/api/v1/dosier/{dossier.pk}/"
    tag = reader.get(url)["ETag"]
    saved = agency.post(f"{url}iku-saya/draf/", {"baris": [{"indikator": "Angka kematian ibu"}]}, HTTP_IF_MATCH=tag)
    assert saved.status_code == 200, saved.content  # the page's tag is a good If-Match
    fresh = reader.get(url, HTTP_IF_NONE_MATCH=tag)
    assert fresh.status_code == 200 and fresh.json()["riwayat"][-1]["tindakan"] == "draf_iku"
    tag = fresh["ETag"]
    Dossier.objects.filter(pk=dossier.pk).update(due_at=timezone.now() - dt.timedelta(minutes=1))
    late = reader.get(url, HTTP_IF_NONE_MATCH=tag)
    assert late.status_code == 200 and late.json()["terlambat"] is True


def test_a_deadline_a_calendar_edit_moved_is_not_answered_304(people, dossier, admin_client):
    # The admin declares the step's last day a cuti bersama: the deadline moves, nothing else does.
    reader = as_token(people, "kasubag")
    url = f"/api/v1/dosier/{dossier.pk}/"
    first = reader.get(url)
    due = dt.datetime.fromisoformat(first.json()["tenggat"])
    added = admin_client.post("/admin/worktime/specialday/add/",
                              {"date": due.strftime("%d-%m-%Y"), "kind": "libur", "note": "Cuti bersama uji"})
    assert added.status_code == 302
    moved = reader.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert moved.status_code == 200 and dt.datetime.fromisoformat(moved.json()["tenggat"]) > due
    assert reader.get(url, HTTP_IF_NONE_MATCH=moved["ETag"]).status_code == 304
    # Its tag is still a good If-Match: only the version in it is compared.
    sent = reader.post(f"{url}aksi/selesaikan/", {}, HTTP_IF_MATCH=moved["ETag"])
    assert sent.status_code != 412, sent.content


def test_a_document_is_verified_by_its_token_or_its_sha256(people, dossier):
    generate(client_for(people, "kasubag"), dossier, DocKind.UNDANGAN)
    made = NaskahRecord.objects.get()
    listed = as_token(people, "kasubag").get(f"/api/v1/dosier/{dossier.pk}/dokumen/").json()
    assert listed[0]["naskah"]["token"] == made.token and listed[0]["jenis"] == DocKind.UNDANGAN
    # An agency is not given the bureau's draft, but verifies what its printed QR code names.
    caller = as_token(people, "dinkes")
    assert caller.get(f"/api/v1/dosier/{dossier.pk}/dokumen/").json() == []
    by_token = caller.get("/api/v1/verifikasi/", {"token": made.token}).json()
    by_hash = caller.get("/api/v1/verifikasi/", {"sha256": made.sha256.upper()}).json()
    assert by_token["hasil"] == by_hash["hasil"] == "konsep"
    assert by_token["sha256"] == made.sha256 and "Ini konsep terakhir" in by_token["keadaan"][0]
    unknown = caller.get("/api/v1/verifikasi/", {"sha256": "0" * 64})
    assert unknown.status_code == 404 and unknown.json()["hasil"] == "tidak dikenal"
    assert caller.get("/api/v1/verifikasi/", {"sha256": "xyz"}).status_code == 400


def test_the_report_gives_each_steps_figures_for_the_year(people, walk):
    walk(STEP_BY_NUMBER[3].state)
    found = as_token(people, "kabag").get("/api/v1/laporan/", {"tahun": 2027}).json()
    assert found["tahun"] == 2027 and [s["langkah"] for s in found["langkah"]] == list(range(1, 10))
    assert found["langkah"][0]["selesai"] == 1 and found["langkah"][2]["berjalan"] == 1
    assert as_token(people, "kabag").get("/api/v1/laporan/", {"tahun": "20x7"}).status_code == 400


def test_the_documents_and_the_iku_table_cost_the_same_queries_at_two_sizes(people, walk):
    dossier = walk(STEP_BY_NUMBER[5].state)
    caller = as_token(people, "kasubag")
    urls = [f"/api/v1/dosier/{dossier.pk}/dokumen/", f"/api/v1/dosier/{dossier.pk}/iku/bahan/"]
    caller.get(urls[0])
    small = [count_queries(caller, url) for url in urls]
    for n in range(4):
        document = Document(kind=DocKind.LAINNYA, original_name=f"{n}.pdf", size=4)
        document.file.save("x.pdf", ContentFile(b"%PDF"), save=False)
        dossier.refresh_from_db()
        services.perform(dossier, people["staf"], Action.UNGGAH, revision=dossier.revision, document=document)
    dossier.refresh_from_db()
    services.perform(dossier, people["dinsos"], Action.AJUKAN_IKU, revision=dossier.revision,
                     rows=to_rows([{"indikator": f"Indikator {n}"} for n in range(6)]))
    assert [count_queries(caller, url) for url in urls] == small


def send(dossier, user, count):
    dossier.refresh_from_db()
    services.perform(dossier, user, Action.AJUKAN_IKU, revision=dossier.revision,
                     rows=to_rows([{"indikator": f"Indikator {n}", "satuan": "%", "target": str(n)} for n in range(count)]))


def test_an_agencys_versions_and_its_own_table_cost_the_same_queries_at_two_sizes(people, walk):
    dossier = walk(STEP_BY_NUMBER[3].state)
    dinkes, kasubag = as_token(people, "dinkes"), as_token(people, "kasubag")
    versions = f"/api/v1/dosier/{dossier.pk}/iku/konsep/skpd/{people['dinkes'].skpd_id}/versi/"
    own = f"/api/v1/dosier/{dossier.pk}/iku-saya/"
    send(dossier, people["dinkes"], 1)
    dinkes.get(own), kasubag.get(versions)
    small = [count_queries(kasubag, versions), count_queries(dinkes, versions), count_queries(dinkes, own)]
    for _ in range(3):
        send(dossier, people["dinkes"], 12)
    assert len(kasubag.get(versions).json()["versi"]) == 4 and len(dinkes.get(own).json()["baris"]) == 12
    assert [count_queries(kasubag, versions), count_queries(dinkes, versions), count_queries(dinkes, own)] == small


def test_the_sakip_export_costs_the_same_queries_for_few_rows_or_many(people):
    from workflow import demo

    rounds = []
    for year in (2026, 2027):
        rounds.append(demo.open_dossier(people, year, f"Penetapan IKU {year}"))
        demo.walk_to(rounds[-1], people, SELESAI)
    callers = [as_token(people, "kasubag"), as_token(people, "dinkes")]
    urls = [f"/api/v1/dosier/{rounds[-1].pk}/sakip/?awal=2026", f"/api/v1/dosier/{rounds[-1].pk}/sakip/?bentuk=sipd&berkas=csv"]
    for caller in callers:
        caller.get(urls[0])
    small = [count_queries(c, u) for c in callers for u in urls]
    for dossier in rounds:
        for submission in IkuSubmission.objects.filter(dossier=dossier, stage=IkuStage.BAHAN):
            IkuRow.objects.bulk_create([IkuRow(submission=submission, indikator=f"Tambahan {n} {submission.pk}",
                                               urutan=10 + n, target=str(n)) for n in range(15)])
    assert len(callers[0].get(urls[0]).json()["baris"]) > 30
    assert [count_queries(c, u) for c in callers for u in urls] == small


def test_a_program_downloads_a_signed_document_with_its_token_as_the_list_describes_it(people, walk):
    dossier, _draft = signed_nota(people, walk)
    caller = as_token(people, "kasubag")
    listed = caller.get(f"/api/v1/dosier/{dossier.pk}/dokumen/").json()
    [nota] = [d for d in listed if d["jenis"] == "nota_dinas" and d["naskah"] and d["naskah"]["sha256_final"]]
    assert nota["unduh"].startswith("http://testserver/api/v1/dokumen/") and nota["nama_berkas"].endswith("-final.pdf")
    got = caller.get(nota["unduh"])
    body = b"".join(got.streaming_content)
    assert got.status_code == 200 and body.startswith(b"%PDF") and len(body) == nota["ukuran"]
    assert nota["nama_berkas"] in got["Content-Disposition"]
    assert hashlib.sha256(body).hexdigest() == nota["naskah"]["sha256_final"]
    # Another agency's officer, or no token: refused in JSON, not a login page.
    assert as_token(people, "dishub").get(nota["unduh"]).status_code == 404
    assert Client().get(nota["unduh"]).status_code == 401


def test_a_dossier_with_its_history_and_its_304_cost_the_same_queries_for_a_short_or_long_history(people, walk):
    dossier = walk(STEP_BY_NUMBER[5].state)
    caller = as_token(people, "kasubag")
    url = f"/api/v1/dosier/{dossier.pk}/"
    caller.get(url)
    before = (count_queries(caller, url), count_queries(caller, url, HTTP_IF_NONE_MATCH=caller.get(url)["ETag"]))
    for n in range(6):
        document = Document(kind=DocKind.LAINNYA, original_name=f"{n}.pdf", size=4)
        document.file.save("x.pdf", ContentFile(b"%PDF"), save=False)
        dossier.refresh_from_db()
        services.perform(dossier, people["staf"], Action.UNGGAH, revision=dossier.revision, document=document)
    tag = caller.get(url)["ETag"]
    assert (count_queries(caller, url), count_queries(caller, url, HTTP_IF_NONE_MATCH=tag)) == before
    assert before[1] < before[0]  # a 304 reads no history


def test_an_invited_agency_renamed_is_not_answered_304_while_the_round_runs(people, walk):
    # The admin corrects an agency's short name while the round waits on its IKU: a client holding the
    # old tag kept the old name in skpd_diundang, answered 304 over the rename.
    dossier = walk(STEP_BY_NUMBER[3].state)
    reader = as_token(people, "kasubag")
    url = f"/api/v1/dosier/{dossier.pk}/"
    tag = reader.get(url)["ETag"]
    agency = people["dinkes"].skpd
    agency.nama_pendek = "Dinas Kesehatan (baru)"
    agency.save()
    renamed = reader.get(url, HTTP_IF_NONE_MATCH=tag)
    assert renamed.status_code == 200
    assert "Dinas Kesehatan (baru)" in [a["nama"] for a in renamed.json()["skpd_diundang"]]
    assert reader.get(url, HTTP_IF_NONE_MATCH=renamed["ETag"]).status_code == 304
    # The new tag is still a good If-Match: only the version in it is compared.
    sent = reader.post(f"{url}aksi/selesaikan/", {}, HTTP_IF_MATCH=renamed["ETag"])
    assert sent.status_code != 412, sent.content


def test_a_long_history_is_read_a_page_at_a_time_and_the_dossier_carries_its_latest(people, walk):
    """A round's history grows with every draft, reminder and action: the dossier's answer carried it
    whole (thousands of events, megabytes). It carries the latest 20 and the address of the rest,
    which gives every event once, the latest first, across pages, however many share a moment."""
    from workflow.actions import REMIND
    from workflow.models import AuditEvent

    dossier = walk(STEP_BY_NUMBER[3].state)
    same_moment = timezone.now()
    for n in range(70):
        # A third at one moment, as a command reminding every agency at once writes them.
        at = same_moment if n % 3 == 0 else timezone.now()
        AuditEvent.objects.record_by_system(dossier, REMIND, "uji", {"note": f"Pengingat {n}"}, at)
    every = [e.note for e in dossier.events.order_by("-at", "-pk")]
    caller = as_token(people, "kabiro")
    one = caller.get(f"/api/v1/dosier/{dossier.pk}/").json()
    assert [e["catatan"] for e in one["riwayat"]] == every[:20][::-1]
    assert one["riwayat_jumlah"] == len(every) and one["riwayat_url"] == f"/api/v1/dosier/{dossier.pk}/riwayat/"
    read, address = [], one["riwayat_url"] + "?ukuran=30"
    while address:
        page = caller.get(address)
        assert page.status_code == 200, page.content
        read += [e["catatan"] for e in page.json()["results"]]
        address = page.json()["next"]
    assert read == every
    # An agency reads no history: its answer is what it was, and the history's address refuses it.
    agency = as_token(people, "dinkes")
    own = agency.get(f"/api/v1/dosier/{dossier.pk}/").json()
    assert not {"riwayat", "riwayat_jumlah", "riwayat_url"} & set(own)
    refused = agency.get(f"/api/v1/dosier/{dossier.pk}/riwayat/")
    assert refused.status_code == 403 and refused.json() == {"detail": (
        f"Riwayat dosier hanya dibaca Biro Kesra. Posisi dosier ini ada di GET /api/v1/dosier/{dossier.pk}/ "
        "(posisi, langkah, tenggat).")}
