"""What a program that sends something wrong is told: always JSON, always Indonesian, never a 500
nor the site's HTML pages, and nothing written. A body that is no JSON object, a value of the wrong
type, an If-Match that names no version of ours, an unknown address, a method, a cursor, a session
without its CSRF token, too many requests, too big a body; and the schema's dossier as it answers."""

import pytest
from django.test import Client

from tests.api.helpers import as_token
from workflow.actions import DRAFT_IKU
from workflow.models import Dossier
from workflow.steps import DIBATALKAN, STEP_BY_NUMBER


def tag(dossier) -> str:
    dossier.refresh_from_db()
    return f'"{dossier.pk}-{dossier.revision}-{dossier.state}"'


def raw(caller, url, body, **headers):
    """`body` as sent, not as JSON of a Python value."""
    return caller.client.post(url, body, content_type="application/json",
                              HTTP_AUTHORIZATION=f"Bearer {caller.token}", **headers)


def said(response, status) -> str:
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"].startswith("application/json"), response.content[:300]
    return response.json()["detail"]


NOT_JSON = [
    pytest.param("[" * 100_000 + "]" * 100_000, "bersarang terlalu dalam", id="nested-arrays"),
    pytest.param('{"baris":' + "[" * 5000, "bersarang terlalu dalam", id="nested-unclosed"),
    pytest.param('{"a":' + "[" * 40 + "]" * 40 + "}", "bersarang terlalu dalam", id="nested-below-the-stack"),
    pytest.param("{baris: []}", "nama kolom harus teks dalam tanda petik ganda (teks JSON baris 1, kolom 2)",
                 id="malformed"),
    pytest.param(b'{"catatan": "\xff"}', "bukan teks UTF-8", id="not-utf8"),
    pytest.param('{"catatan": NaN}', "NaN bukan nilai JSON", id="nan"),
    pytest.param('{"catatan": 1e400}', "bilangan terlalu besar", id="infinite-float"),
    pytest.param('{"catatan": ' + "9" * 5000 + "}", "bilangan bulat terlalu besar", id="huge-int"),
    pytest.param('{"catatan": 99999999999999999999}', "bilangan bulat terlalu besar", id="past-64-bits"),
    pytest.param('{"catatan": "a\\u0000b"}', "karakter NUL", id="nul"),
    pytest.param('{"catatan": "\\ud800"}', "surrogate", id="lone-surrogate"),
]


@pytest.mark.parametrize(("body", "reason"), NOT_JSON)
def test_a_body_that_is_no_json_is_a_short_indonesian_400_and_saves_nothing(people, walk, body, reason):
    at_three = walk(STEP_BY_NUMBER[3].state)
    agency = as_token(people, "dinkes")
    draft = raw(agency, f"/api/v1/dosier/{at_three.pk}/iku-saya/draf/", body, HTTP_IF_MATCH=tag(at_three))
    detail = said(draft, 400)
    assert detail.startswith("Isi permintaan bukan JSON yang sah: ") and reason in detail, detail
    assert "Expecting" not in detail and "codec" not in detail and len(detail) < 200
    assert not at_three.events.filter(action=DRAFT_IKU).exists()

    at_one = walk(STEP_BY_NUMBER[1].state)
    finish = raw(as_token(people, "kasubag"), f"/api/v1/dosier/{at_one.pk}/aksi/selesaikan/", body,
                 HTTP_IF_MATCH=tag(at_one))
    assert reason in said(finish, 400)
    assert Dossier.objects.get(pk=at_one.pk).state == STEP_BY_NUMBER[1].state


@pytest.mark.parametrize("body", ['["x"]', "[]", '"alasan"', "7", "null"])
def test_a_body_that_is_no_json_object_is_refused(people, walk, body):
    dossier = walk(STEP_BY_NUMBER[4].state)
    response = raw(as_token(people, "kabiro"), f"/api/v1/dosier/{dossier.pk}/aksi/batalkan/", body,
                   HTTP_IF_MATCH=tag(dossier))
    assert said(response, 400) == "Isi permintaan harus objek JSON."
    assert Dossier.objects.get(pk=dossier.pk).state == STEP_BY_NUMBER[4].state


@pytest.mark.parametrize("reason", [["x"], {"teks": "x"}, 5, True])
def test_a_value_of_the_wrong_type_is_refused_naming_its_field_never_stored_as_python_text(people, walk, reason):
    dossier = walk(STEP_BY_NUMBER[4].state)
    response = as_token(people, "kabiro").post(f"/api/v1/dosier/{dossier.pk}/aksi/batalkan/", {"alasan": reason},
                                               HTTP_IF_MATCH=tag(dossier))
    assert said(response, 400) == "alasan harus teks."
    assert response.json()["kesalahan"] == {"alasan": ["alasan harus teks."]}
    assert Dossier.objects.get(pk=dossier.pk).state == STEP_BY_NUMBER[4].state


def test_a_number_and_a_tick_must_be_a_number_and_true_or_false(people, walk):
    dossier = walk(STEP_BY_NUMBER[1].state)
    body = {"tahun": True, "judul": "Penetapan IKU 2028", "alasan": "Salah tahun", "tetap_buat": "ya"}
    response = as_token(people, "kasubag").post(f"/api/v1/dosier/{dossier.pk}/aksi/koreksi_dosier/", body,
                                                HTTP_IF_MATCH=tag(dossier))
    said(response, 400)
    assert response.json()["kesalahan"] == {"tahun": ["tahun harus bilangan."],
                                            "tetap_buat": ["tetap_buat harus true atau false."]}
    assert Dossier.objects.get(pk=dossier.pk).tahun == dossier.tahun


def test_an_iku_row_holds_text_and_the_note_is_text(people, walk):
    dossier = walk(STEP_BY_NUMBER[3].state)
    agency = as_token(people, "dinkes")
    url = f"/api/v1/dosier/{dossier.pk}/iku-saya/draf/"
    rows = [{"indikator": "Prevalensi stunting", "target": 14}, {"indikator": ["a"], "satuan": True}]
    response = agency.post(url, {"baris": rows}, HTTP_IF_MATCH=tag(dossier))
    said(response, 400)
    assert {(e["baris"], e["kolom"], e["pesan"]) for e in response.json()["kesalahan"]} == {
        (1, "target", "Isi kolom harus teks."), (2, "indikator", "Isi kolom harus teks."),
        (2, "satuan", "Isi kolom harus teks.")}
    noted = agency.post(url, {"baris": [{"indikator": "x"}], "catatan": ["x"]}, HTTP_IF_MATCH=tag(dossier))
    said(noted, 400)
    assert [(e["kolom"], e["pesan"]) for e in noted.json()["kesalahan"]] == [("catatan", "catatan harus teks.")]
    assert not dossier.events.filter(action=DRAFT_IKU).exists()


def test_an_agency_sending_its_iku_as_an_action_is_pointed_to_where_it_is_sent(people, walk):
    dossier = walk(STEP_BY_NUMBER[3].state)
    response = as_token(people, "dinkes").post(f"/api/v1/dosier/{dossier.pk}/aksi/ajukan_iku/", {"baris": []},
                                               HTTP_IF_MATCH=tag(dossier))
    send = f"/api/v1/dosier/{dossier.pk}/iku-saya/kirim/"
    assert send in said(response, 400) and response.json()["alamat"] == send


@pytest.mark.parametrize("sent", ['"garbage"', "*", "", "W/", '"1-2-3-4"'])
def test_an_if_match_that_names_no_version_of_ours_is_a_412_not_a_missing_header(people, walk, sent):
    dossier = walk(STEP_BY_NUMBER[4].state)
    response = as_token(people, "kabiro").post(f"/api/v1/dosier/{dossier.pk}/aksi/batalkan/", {"alasan": "Ganda"},
                                               HTTP_IF_MATCH=sent)
    assert "tidak berisi ETag yang diberikan API ini" in said(response, 412)
    assert response["ETag"] == tag(dossier) and response.json()["revisi"] == dossier.revision
    assert dossier.state == STEP_BY_NUMBER[4].state
    missing = as_token(people, "kabiro").post(f"/api/v1/dosier/{dossier.pk}/aksi/batalkan/", {"alasan": "Ganda"})
    assert "Sertakan header If-Match" in said(missing, 428)


def test_a_method_an_address_does_not_serve_is_refused_in_indonesian(people, walk):
    dossier = walk(STEP_BY_NUMBER[4].state)
    caller = as_token(people, "kabiro")
    put = caller.client.put(f"/api/v1/dosier/{dossier.pk}/", "{}", content_type="application/json",
                            HTTP_AUTHORIZATION=f"Bearer {caller.token}")
    assert said(put, 405) == "Alamat ini tidak melayani metode PUT."
    # The schema's refusal too, as JSON rather than an OpenAPI YAML document.
    schema = Client().post("/api/v1/schema/", "{}", content_type="application/json")
    assert said(schema, 405) == "Alamat ini tidak melayani metode POST."


@pytest.mark.parametrize("cursor", ["zzz", "cD16eno="])
def test_a_cursor_not_given_by_the_list_is_a_400(people, cursor):
    # cD16eno= decodes (p=zzz) but holds no moment, which the list's query would compare with.
    assert said(as_token(people, "kabiro").get(f"/api/v1/dosier/?kursor={cursor}"), 400).startswith("Kursor tidak sah")


def test_a_session_write_without_its_csrf_token_is_told_so_in_indonesian(people, walk):
    dossier = walk(STEP_BY_NUMBER[4].state)
    session = Client(enforce_csrf_checks=True)
    session.force_login(people["kabiro"])
    csrf = session.post(f"/api/v1/dosier/{dossier.pk}/aksi/batalkan/", '{"alasan": "Ganda"}',
                        content_type="application/json", HTTP_IF_MATCH=tag(dossier))
    assert said(csrf, 403).startswith("Penulisan dengan sesi masuk (cookie) memerlukan token CSRF")
    assert Dossier.objects.get(pk=dossier.pk).state != DIBATALKAN


def test_too_many_requests_are_told_when_to_come_back_in_indonesian(people, settings):
    settings.SOP_API_REQUESTS = 1
    caller = as_token(people, "kabiro")
    assert caller.get("/api/v1/saya/").status_code == 200
    throttled = caller.get("/api/v1/saya/")
    wait = int(throttled["Retry-After"])  # until the next request is taken: within the next minute
    assert 1 <= wait <= 60
    assert said(throttled, 429) == ("Terlalu banyak permintaan: paling banyak 1 permintaan per menit. "
                                    f"Coba lagi dalam {wait} detik.")


@pytest.mark.parametrize("url", ["/api/v1/zzz/", "/api/v1/dosier/abc/", "/api/", "/api/v2/saya/", "/api/v1/zzz"])
def test_an_unknown_api_address_is_json_not_the_html_page(people, url):
    caller = as_token(people, "kabiro")
    assert said(caller.get(url), 404) == "Alamat API tidak dikenal."
    assert said(caller.post(url), 404) == "Alamat API tidak dikenal."
    assert said(Client().get(url), 404) == "Alamat API tidak dikenal."


def test_a_known_api_address_without_its_slash_is_still_redirected_or_named(people):
    caller = as_token(people, "kabiro")
    moved = caller.get("/api/v1/saya?x=1")
    assert moved.status_code == 301 and moved["Location"] == "/api/v1/saya/?x=1"
    assert "/api/v1/saya/" in said(caller.post("/api/v1/saya"), 404)


def test_a_body_past_the_upload_limit_is_a_json_413(people, walk, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
    dossier = walk(STEP_BY_NUMBER[3].state)
    body = '{"catatan": "' + "a" * (1024 * 1024) + '", "baris": []}'
    response = raw(as_token(people, "dinkes"), f"/api/v1/dosier/{dossier.pk}/iku-saya/draf/", body,
                   HTTP_IF_MATCH=tag(dossier))
    assert said(response, 413) == "Isi permintaan terlalu besar: paling banyak 1 MB."


def test_the_schema_promises_what_a_short_dossier_holds_and_the_history_it_gives(people, walk):
    dossier = walk(STEP_BY_NUMBER[4].state)
    schema = Client().get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    caller = as_token(people, "kasubag")
    short = caller.get(f"/api/v1/dosier/{dossier.pk}/?ringkas=1").json()
    listed = caller.get("/api/v1/dosier/?ringkas=1").json()["results"][0]
    one = schema["paths"]["/api/v1/dosier/{id}/"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    detail = schema["components"]["schemas"][one["$ref"].rsplit("/", 1)[1]]
    assert set(detail["required"]) <= set(short) and set(detail["required"]) <= set(listed)
    full = caller.get(f"/api/v1/dosier/{dossier.pk}/").json()
    assert "riwayat" in full and set(full) <= set(detail["properties"])
    path = schema["paths"]["/api/v1/dosier/{id}/iku/{stage}/"]["get"]["parameters"]
    assert next(p for p in path if p["name"] == "stage")["schema"]["enum"] == ["bahan", "konsep"]
    assert schema["components"]["schemas"]["IkuRowIn"]["description"].startswith("Satu baris tabel IKU")


def test_a_lookup_that_finds_nothing_never_answers_in_djangos_english(people, walk, monkeypatch):
    from django.shortcuts import get_object_or_404

    from api import views_iku
    from workflow.models import Skpd

    dossier = walk(STEP_BY_NUMBER[3].state)
    monkeypatch.setattr(views_iku, "visible_submission", lambda *args: get_object_or_404(Skpd, pk=999_999))
    response = as_token(people, "kabiro").get(f"/api/v1/dosier/{dossier.pk}/iku/konsep/skpd/999999/versi/")
    assert said(response, 404) == "Tidak ditemukan."


def test_a_body_declared_in_another_charset_is_refused_as_json(people):
    caller = as_token(people, "kasubag")
    response = caller.client.post("/api/v1/dosier/1/aksi/batalkan/", '{"alasan": "x"}',
                                  content_type="application/json; charset=utf-16",
                                  HTTP_AUTHORIZATION=f"Bearer {caller.token}")
    assert said(response, 400) == "Isi permintaan harus UTF-8."


def test_options_says_the_methods_in_indonesian_not_the_views_class_name(people, walk):
    dossier = walk(STEP_BY_NUMBER[3].state)
    caller = as_token(people, "dinkes")
    for address, methods in ((f"/api/v1/dosier/{dossier.pk}/", ["GET", "HEAD", "OPTIONS"]),
                             (f"/api/v1/dosier/{dossier.pk}/iku-saya/kirim/", ["POST", "OPTIONS"])):
        answer = caller.client.options(address, HTTP_AUTHORIZATION=f"Bearer {caller.token}")
        assert answer.status_code == 200 and answer.json()["metode"] == methods, answer.content
        # It was {"name": "Dossier Detail", "description": "", "renders": [...], ...}.
        assert "name" not in answer.json() and answer.json()["detail"].startswith("Alamat ini melayani ")
