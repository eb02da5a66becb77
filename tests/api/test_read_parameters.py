"""Every read takes the query parameters its schema lists, each once, and refuses any other with a
400 naming it, as the dossier list's filters are refused: a program that misspells one, or sends one a
read does not take, is told, not answered 200 as if its request had been honoured."""

import re

import pytest
from django.test import Client

from tests.api.helpers import as_token
from workflow.steps import SELESAI, STEP_BY_NUMBER


def known(*names):
    return ["Parameter tidak dikenal. Yang dikenal: " + ", ".join(names) + "."]


@pytest.mark.parametrize(("address", "query", "refused"), [
    # Each was answered 200 with every document, the whole table, 2027's figures, the whole decree.
    ("dosier/{running}/dokumen/", {"jenis": "nota"}, {"jenis": known("format")}),
    ("dosier/{running}/iku/konsep/", {"skpd": "1"}, {"skpd": known("kursor", "ukuran", "format")}),
    ("laporan/", {"tahun": "2027", "tahn": "2026"}, {"tahn": known("tahun", "format")}),
    ("laporan/", {"tahun": ["2027", "2026"]}, {"tahun": ["tahun disebut lebih dari sekali; sebut sekali saja."]}),
    ("dosier/{closed}/sakip/", {"bentuk": "sipd", "awl": "2026"},
     {"awl": known("bentuk", "berkas", "awal", "skpd", "format")}),
    ("dosier/{closed}/sakip/", {"skpd": ["1", "2"]}, {"skpd": ["skpd disebut lebih dari sekali; sebut sekali saja."]}),
    ("verifikasi/", {"token": "abc", "sha": "0" * 64}, {"sha": known("token", "sha256", "format")}),
    ("dosier/{running}/", {"ringkas": "1", "riwayat": "1"}, {"riwayat": known("ringkas", "format")}),
    ("dosier/", {"dibuat": "2027-01-01"},
     {"dibuat": known("tahun", "posisi", "skpd", "terlambat", "kursor", "ukuran", "ringkas", "format")}),
])
def test_a_read_refuses_a_parameter_it_does_not_take_or_one_sent_twice(people, walk, address, query, refused):
    ids = {"running": walk(STEP_BY_NUMBER[3].state).pk,
           "closed": walk(SELESAI).pk if "{closed}" in address else 0}
    response = as_token(people, "kasubag").get("/api/v1/" + address.format(**ids), query)
    assert response.status_code == 400, response.content
    assert response.json()["kesalahan"] == refused


def test_the_schema_lists_exactly_the_parameters_each_read_takes(people):
    """What a read is told it knows, when sent one it does not, is what its schema lists."""
    schema = Client().get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    caller = as_token(people, "kasubag")
    reads = [(path, operation) for path, methods in schema["paths"].items()
             for method, operation in methods.items() if method == "get"]
    assert len(reads) >= 10
    for path, operation in reads:
        listed = {p["name"] for p in operation.get("parameters", []) if p["in"] == "query"}
        address = re.sub(r"\{(\w+)\}", lambda m: "konsep" if m[1] == "stage" else "1", path)
        response = caller.get(address, {"tidak_ada": "1"})
        assert response.status_code == 400, (path, response.status_code)
        told = response.json()["kesalahan"]["tidak_ada"][0]
        assert set(told.removeprefix("Parameter tidak dikenal. Yang dikenal: ").rstrip(".").split(", ")) == listed, path


@pytest.mark.parametrize(("address", "query", "refused"), [
    ("laporan/", {"tahun": "20x7"}, {"tahun": ["tahun harus tahun empat angka, 2000 sampai 2100 (mis. 2027)."]}),
    ("verifikasi/", {"sha256": "xyz"}, {"sha256": ["sha256 harus 64 digit heksadesimal."]}),
    ("verifikasi/", {}, {"token": ["Sertakan token=… atau sha256=… (64 digit heksadesimal)."]}),
    # The token was answered and the SHA-256 ignored: a file was told apart by another's token.
    ("verifikasi/", {"token": "abc", "sha256": "0" * 64}, {"sha256": ["Sebut token atau sha256, tidak keduanya."]}),
    ("dosier/{closed}/sakip/", {"bentuk": "x", "berkas": "pdf", "awal": "20", "skpd": "satu"},
     {"bentuk": ["bentuk harus esakip atau sipd."], "berkas": ["berkas harus json, csv atau xlsx."],
      "awal": ["awal harus tahun empat angka (2000–2100)."], "skpd": ["skpd harus nomor SKPD."]}),
    ("dosier/{closed}/sakip/", {"awal": "2020"}, {"awal": ["Tahun keputusan {year} di luar rentang 2020–2024."]}),
])
def test_a_reads_refusal_names_each_parameter_in_kesalahan(people, walk, address, query, refused):
    """A program was given one sentence in detail (\"bentuk harus ... berkas harus ...\") to take apart,
    where the dossier list names each parameter in kesalahan."""
    closed = walk(SELESAI) if "{closed}" in address else None
    response = as_token(people, "kasubag").get("/api/v1/" + address.format(closed=closed and closed.pk), query)
    assert response.status_code == 400, response.content
    expected = {name: [m.format(year=closed and closed.tahun) for m in messages] for name, messages in refused.items()}
    assert response.json()["kesalahan"] == expected
    assert all(message in response.json()["detail"] for messages in expected.values() for message in messages)


@pytest.mark.parametrize("sent", ["2", "yes", "y", "benar", "1.0"])
def test_a_short_form_asked_for_in_other_words_is_refused_not_answered_in_full(people, walk, sent):
    """?ringkas=yes (or 2) gave the full form, as if the program had asked for it."""
    dossier = walk(STEP_BY_NUMBER[3].state)
    caller = as_token(people, "kasubag")
    for address in ("/api/v1/dosier/", f"/api/v1/dosier/{dossier.pk}/"):
        response = caller.get(address, {"ringkas": sent})
        assert response.status_code == 400, (address, response.content[:200])
        assert response.json()["kesalahan"] == {"ringkas": ["ringkas harus true atau false (atau 1/0, ya/tidak)."]}


def test_a_yes_or_a_no_for_the_short_form_is_read_in_any_of_its_words(people, walk):
    """Python's requests sends a True as "True": read as the yes it is, not as the full form."""
    dossier = walk(STEP_BY_NUMBER[3].state)
    caller = as_token(people, "kasubag")
    brief = {"id", "tahun", "judul", "posisi", "langkah", "revisi"}
    for sent, is_short in (("1", True), ("true", True), ("True", True), ("ya", True),
                           ("0", False), ("false", False), ("False", False), ("tidak", False)):
        response = caller.get(f"/api/v1/dosier/{dossier.pk}/", {"ringkas": sent})
        assert response.status_code == 200, sent
        assert (set(response.json()) == brief) == is_short and ("riwayat" in response.json()) != is_short, sent


@pytest.mark.parametrize("address", ["dosier/", "dosier/{running}/", "dosier/{running}/dokumen/", "laporan/", "saya/"])
def test_a_format_not_offered_is_told_which_are_not_answered_as_a_missing_address(people, walk, address):
    """?format=xml was answered 404 "Tidak ditemukan.": the program took the address for gone."""
    running = walk(STEP_BY_NUMBER[3].state)
    response = as_token(people, "kasubag").get("/api/v1/" + address.format(running=running.pk), {"format": "xml"})
    assert response.status_code == 400, response.content
    assert response.json()["kesalahan"] == {"format": ["format “xml” tidak tersedia; yang tersedia: json."]}
    assert as_token(people, "kasubag").get("/api/v1/" + address.format(running=running.pk),
                                           {"format": "json"}).status_code == 200


def test_the_schema_names_its_own_formats(db):
    response = Client().get("/api/v1/schema/", {"format": "xml"})
    assert response.status_code == 400
    assert response.json()["kesalahan"] == {"format": ["format “xml” tidak tersedia; yang tersedia: yaml, json."]}


def test_a_program_asking_for_a_pdf_gets_the_file_at_its_address_and_is_told_that_address_elsewhere(people, walk):
    """`Accept: application/pdf` on the file's own address was 406 "only JSON", ?format=pdf there 400
    "yang tersedia: json" (it gives no JSON at all); asked of a JSON address, neither said where the
    PDF is."""
    dossier = walk(STEP_BY_NUMBER[3].state)
    caller = as_token(people, "kasubag")
    documents = f"/api/v1/dosier/{dossier.pk}/dokumen/"
    pdf = next(d for d in caller.get(documents).json() if d["nama_berkas"].endswith(".pdf"))
    for asked in ({"HTTP_ACCEPT": "application/pdf"}, {"data": {"format": "pdf"}}):
        got = caller.get(pdf["unduh"], **asked)
        assert got.status_code == 200, (asked, got.content[:300])
        assert b"".join(got.streaming_content).startswith(b"%PDF")
    refused = caller.get(pdf["unduh"], {"format": "json"})
    assert refused.status_code == 400
    [told] = refused.json()["kesalahan"]["format"]
    assert pdf["nama_berkas"] in told and "sebut format pdf" in told and f"GET {documents}" in told
    where = f"diunduh di alamat unduh tiap dokumen pada GET {documents}"
    refused = caller.get(documents, {"format": "pdf"})
    assert refused.status_code == 400
    [told] = refused.json()["kesalahan"]["format"]
    assert told.startswith("format “pdf” tidak tersedia; yang tersedia: json.") and where in told
    refused = caller.get(documents, HTTP_ACCEPT="application/pdf")
    assert refused.status_code == 406
    assert refused.json()["detail"].startswith(
        "Header Accept “application/pdf” tidak dapat dipenuhi: alamat ini hanya menjawab application/json.")
    assert where in refused.json()["detail"]
