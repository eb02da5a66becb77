"""Hostile input on every form: long text, control characters, markup, formula cells, wrong
encodings, extreme numbers and dates, missing and doubled fields. Never a server error; a refused
form writes nothing; and every page still renders afterwards, whatever was stored."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from iku.models import IkuRow, IkuSubmission
from tests.factories import client_for
from tests.naskah.helpers import initialled
from workflow.forms.sent_once import FIELD as SENT_ONCE
from workflow.models import AuditEvent, Delegation, Dossier, Meeting
from workflow.steps import DI_GUBERNUR, SELESAI, STEP_BY_NUMBER

HOSTILE = st.one_of(
    st.text(max_size=60),
    st.text(min_size=2001, max_size=2600),
    st.sampled_from([
        "<script>alert(1)</script>", "\x00\x01\x1b[31m", "=HYPERLINK(\"http://evil.example\",\"x\")", "\u202egnp.exe",
        "'; DROP TABLE workflow_dossier; --", "9" * 40, "-1", "0001-01-01", "9999-12-31T23:59", "2027-02-30",
        "\ufeff\ud7ff", "%s%s%n", "../../etc/passwd", "", " ", "k" * 64, "k" * 65,
    ]),
)
FORMS = {
    # (who, the dossier's step (a state past the steps, or what makes the dossier), the form's path after
    # /dosier/<pk>/, its fields)
    "iku": ("dinkes", 3, "aksi/ajukan_iku/", ["catatan", "r-1-indikator", "r-1-target", "r-1-sasaran_strategis", "r-2-formula",
                                               "tabel_baris"]),
    "draf": ("dinkes", 3, "iku/draf/", ["r-1-indikator", "r-1-satuan", "r-300-indikator"]),
    "rapat": ("staf", 5, "aksi/catat_rapat/", ["held_at", "tempat", "pimpinan", "ringkasan"]),
    "kembalikan": ("kabag", 7, "aksi/kembalikan/", ["catatan"]),
    "undangan": ("staf", 1, "buat/undangan/", ["nomor", "tanggal_surat", "hal", "tempat", "acara", "waktu_mulai",
                                                "tembusan", "versi_naskah"]),
    # The decree made by the task worker (run at once here): refused input comes back, accepted input queues.
    "draft keputusan": ("kasubag", 6, "buat/draft_kepgub/", ["tanggal_surat", "tentang", "versi_naskah"]),
    "tabel": ("kasubag", 6, "aksi/atur_tabel_iku/", ["op", "baris", "teks", "indikator", "target", "versi_baris"]),
    "buka": ("kasubag", 6, "aksi/buka_kembali_iku/", ["skpd", "catatan"]),
    "penetapan": ("staf", DI_GUBERNUR, "aksi/catat_penetapan/", ["nomor_kepgub", "tanggal_kepgub"]),
    "koreksi penetapan": ("staf", SELESAI, "aksi/koreksi_penetapan/", ["nomor_kepgub", "tanggal_kepgub", "alasan"]),
    # A signing step with a Nota made here to sign: the password is checked (and counted) whatever it holds.
    "tanda tangan": ("kabiro", initialled, "aksi/selesaikan/", ["kata_sandi", "catatan"]),
    "disposisi": ("kasubag", 1, "disposisi/", ["kepada", "instruksi", "waktu_amount", "waktu_unit"]),
    "koreksi judul dan tahun": ("kasubag", 1, "aksi/koreksi_dosier/", ["judul", "tahun", "alasan", "tetap_buat"]),
}
SITE_FORMS = {
    "dosier baru": ("kasubag", "/dosier/baru/", ["judul", "tahun", "invited", "tetap_buat"]),
    "pelimpahan": ("kabag", "/pelimpahan/", ["delegate", "role", "kind", "starts_on", "ends_on"]),
    "arsip": ("dinkes", "/arsip/", ["q", "tahun", "state", "skpd", "urut", "hal"]),
    "token api": ("dinkes", "/token-api/", ["nama", "akses", "hari"]),
    "pilihan pemberitahuan": ("kasubag", "/pemberitahuan/pilihan/", ["by_email", "in_app", "pilihan_dimuat"]),
}


def written() -> tuple:
    return (AuditEvent.objects.count(), IkuRow.objects.count(), IkuSubmission.objects.exclude(draft=[]).count(),
            Meeting.objects.count(), Dossier.objects.count(), Delegation.objects.count())


@pytest.mark.parametrize("name", list(FORMS))
def test_hostile_input_on_each_dossier_form(people, walk, name):
    username, step, path, fields = FORMS[name]
    if callable(step):
        dossier = step(people, walk)
    else:
        dossier = walk(STEP_BY_NUMBER[step].state if isinstance(step, int) else step)
    client = client_for(people, username)

    @settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.data_too_large])
    # Each form's one-time key too (workflow.forms.sent_once): whatever it holds, never a server error.
    @given(st.fixed_dictionaries({f: HOSTILE for f in [*fields, SENT_ONCE]}), st.booleans())
    def attack(values, doubled):
        dossier.refresh_from_db()
        before = written()
        data = {"revision": dossier.revision, "state": dossier.state} | values
        if doubled:
            data = {k: [v, f"{v}x"] for k, v in data.items()}  # every field sent twice
        response = client.post(f"/dosier/{dossier.pk}/{path}", data)
        assert response.status_code < 500, (name, values)
        if response.status_code == 200:
            assert written() == before, (name, values)  # refused: nothing kept
        for page in ("/", f"/dosier/{dossier.pk}/", f"/dosier/{dossier.pk}/iku/konsep/", "/arsip/"):
            assert client.get(page).status_code == 200, page

    attack()


@pytest.mark.parametrize("name", list(SITE_FORMS))
def test_hostile_input_on_each_site_form(people, walk, name):
    username, url, fields = SITE_FORMS[name]
    walk(STEP_BY_NUMBER[3].state)
    client = client_for(people, username)

    @settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.data_too_large])
    @given(st.fixed_dictionaries({f: HOSTILE for f in [*fields, SENT_ONCE]}))
    def attack(values):
        assert client.get(url, values).status_code < 500
        assert client.post(url, values).status_code < 500
        assert client.get("/").status_code == 200

    attack()


def test_an_id_past_what_the_database_holds_is_an_invalid_choice_not_a_server_error(people):
    # Found by the hypothesis test above: SQLite raised OverflowError on this id (HTTP 500).
    page = client_for(people, "kasubag").post(
        "/dosier/baru/", {"judul": "IKU 2028", "tahun": "2028", "invited": ["9223372036854775808", "x"]}
    )
    assert page.status_code == 200 and "IKU 2028" in page.content.decode()
    assert not Dossier.objects.filter(judul="IKU 2028").exists()
