"""An agency renamed between years (a new nomenclature, the same agency): the round whose draft
decree already left the bureau reads as it was forwarded, the decree's Lampiran, its IKU tables
and its round naming the agency as then; a running round takes the new name."""

import re

from naskah.content import iku_groups
from tests.factories import client_for, dossier_at
from workflow.models import Skpd
from workflow.steps import DI_GUBERNUR, SELESAI, STEP_BY_NUMBER


def _rename(admin, skpd, nama, nama_pendek):
    form = {"nama": nama, "nama_pendek": nama_pendek, "singkatan": skpd.singkatan, "kind": skpd.kind,
            "aktif": "on", "order": skpd.order, "head_title": skpd.head_title}
    page = admin.get(f"/admin/workflow/skpd/{skpd.pk}/change/").content.decode()
    form |= dict(re.findall(r'name="(versi_dimuat)" value="([^"]*)"', page))
    answer = admin.post(f"/admin/workflow/skpd/{skpd.pk}/change/", form)
    assert answer.status_code == 302, answer.content.decode()[:2000]
    return answer


def _text(page) -> str:
    return re.sub(r"\s+", " ", page.content.decode())


def test_a_rename_leaves_the_forwarded_round_as_it_was_forwarded(people, walk):
    closed = walk(SELESAI, judul="Penetapan IKU 2026")
    forwarded = dossier_at(people, DI_GUBERNUR, judul="Penetapan IKU 2027 diteruskan")
    running = dossier_at(people, STEP_BY_NUMBER[6].state, judul="Penetapan IKU 2027 berjalan")
    dinkes = people["dinkes"].skpd
    assert dinkes.nama_pendek == "Dinas Kesehatan"

    _rename(client_for(people, "admin"), dinkes, "Dinas Kesehatan dan Keluarga Berencana Provinsi Kalimantan Barat",
            "Dinas Kesehatan dan KB")
    assert Skpd.objects.get(pk=dinkes.pk).nama_pendek == "Dinas Kesehatan dan KB"

    kasubag = client_for(people, "kasubag")
    for old in (closed, forwarded):
        old.refresh_from_db()
        # The decree's Lampiran as forwarded to Asisten I.
        headings = [group["skpd"].nama for group in iku_groups(old)["iku"]]
        assert "Dinas Kesehatan Provinsi Kalimantan Barat" in headings
        assert not any("Keluarga Berencana" in heading for heading in headings)
        # The agency's versions compared, as an auditor opens them from the round's table.
        versions = f"/dosier/{old.pk}/iku/bahan/versi/{dinkes.pk}/"
        for url in (f"/dosier/{old.pk}/", f"/dosier/{old.pk}/iku/bahan/", f"/dosier/{old.pk}/iku/bahan/csv/", versions):
            page = _text(kasubag.get(url))
            assert "Dinas Kesehatan" in page, url
            assert "Dinas Kesehatan dan KB" not in page, url

    running.refresh_from_db()
    headings = [group["skpd"].nama for group in iku_groups(running)["iku"]]
    assert "Dinas Kesehatan dan Keluarga Berencana Provinsi Kalimantan Barat" in headings
    for url in (f"/dosier/{running.pk}/", f"/dosier/{running.pk}/iku/bahan/"):
        assert "Dinas Kesehatan dan KB" in _text(kasubag.get(url)), url


def test_the_admin_is_told_what_a_rename_reaches(people, walk):
    walk(SELESAI, judul="Penetapan IKU 2026")
    dossier_at(people, STEP_BY_NUMBER[3].state, judul="Penetapan IKU 2027")
    admin = client_for(people, "admin")
    disdik = Skpd.objects.get(nama_pendek="Dinas Pendidikan dan Kebudayaan")
    answer = _rename(admin, disdik, "Dinas Pendidikan Provinsi Kalimantan Barat", "Dinas Pendidikan")
    told = _text(admin.get(answer["Location"]))
    assert ("Nama SKPD “Dinas Pendidikan dan Kebudayaan” diubah menjadi “Dinas Pendidikan” (Dinas Pendidikan Provinsi "
            "Kalimantan Barat). Nama baru dipakai pada 1 dosier yang berjalan") in told
    assert "dan 1 dosier yang draft keputusannya sudah diteruskan ke Asisten I, tetap memakai nama lama" in told
    assert "tambahkan SKPD baru dan nonaktifkan yang lama" in told

    # Changing only its place in the list tells nothing of the kind.
    disdik.refresh_from_db()
    page = admin.get(f"/admin/workflow/skpd/{disdik.pk}/change/").content.decode()
    form = {"nama": disdik.nama, "nama_pendek": disdik.nama_pendek, "singkatan": "", "kind": disdik.kind,
            "aktif": "on", "order": disdik.order + 1, "head_title": ""}
    form |= dict(re.findall(r'name="(versi_dimuat)" value="([^"]*)"', page))
    answer = admin.post(f"/admin/workflow/skpd/{disdik.pk}/change/", form)
    assert "diubah menjadi" not in _text(admin.get(answer["Location"]))


def test_the_api_names_the_agencies_of_a_forwarded_round_as_it_was_forwarded(people, walk):
    from tests.api.helpers import as_token

    forwarded = dossier_at(people, DI_GUBERNUR, judul="Penetapan IKU 2027 diteruskan")
    running = dossier_at(people, STEP_BY_NUMBER[6].state, judul="Penetapan IKU 2027 berjalan")
    dinkes = people["dinkes"].skpd
    _rename(client_for(people, "admin"), dinkes, "Dinas Kesehatan dan Keluarga Berencana Provinsi Kalimantan Barat",
            "Dinas Kesehatan dan KB")
    api = as_token(people, "kasubag")

    def named(answer):
        return [s["nama"] for s in answer["skpd_diundang"] if s["id"] == dinkes.pk]

    listed = {d["id"]: d for d in api.get("/api/v1/dosier/").json()["results"]}
    for answer in (api.get(f"/api/v1/dosier/{forwarded.pk}/").json(), listed[forwarded.pk]):
        assert named(answer) == ["Dinas Kesehatan"]
    for answer in (api.get(f"/api/v1/dosier/{running.pk}/").json(), listed[running.pk]):
        assert named(answer) == ["Dinas Kesehatan dan KB"]
    # The agency's versions as the forwarded round kept it.
    versions = api.get(f"/api/v1/dosier/{forwarded.pk}/iku/bahan/skpd/{dinkes.pk}/versi/").json()
    assert versions["skpd"] == "Dinas Kesehatan"


def test_the_admins_dossier_page_names_a_forwarded_rounds_agencies_as_it_was_forwarded(people, walk):
    forwarded = dossier_at(people, DI_GUBERNUR, judul="Penetapan IKU 2027 diteruskan")
    running = dossier_at(people, STEP_BY_NUMBER[6].state, judul="Penetapan IKU 2027 berjalan")
    admin = client_for(people, "admin")
    _rename(admin, people["dinkes"].skpd, "Dinas Kesehatan dan Keluarga Berencana Provinsi Kalimantan Barat",
            "Dinas Kesehatan dan KB")

    def invited(dossier):
        page = _text(admin.get(f"/admin/workflow/dossier/{dossier.pk}/change/"))
        return page.split("SKPD diundang:", 1)[1][:300]

    assert "Dinas Kesehatan," in invited(forwarded) and "Dinas Kesehatan dan KB" not in invited(forwarded)
    assert "Dinas Kesehatan dan KB" in invited(running)
