"""A dossier's ETag tells an agency nothing its answer does not: not another agency's draft nor who
else the round invites."""

from lib.fingerprint import fingerprint
from tests.api.helpers import as_token
from workflow.steps import STEP_BY_NUMBER


def test_an_agencys_etag_holds_still_over_another_agencys_draft_and_names_only_itself(people, walk):
    dossier = walk(STEP_BY_NUMBER[3].state)
    url = f"/api/v1/dosier/{dossier.pk}/"
    dinkes, bureau = as_token(people, "dinkes"), as_token(people, "kasubag")
    tag, bureau_tag = dinkes.get(url)["ETag"], bureau.get(url)["ETag"]
    # Dinas Sosial saves a draft: nothing Dinas Kesehatan reads changed, so its conditional GET is
    # still 304 (it was 200, the tag's event number turned); the bureau reads the draft in the history.
    saved = as_token(people, "dinsos").post(f"{url}iku-saya/draf/", {"baris": [{"indikator": "Angka X"}]},
                                            HTTP_IF_MATCH=tag)
    assert saved.status_code == 200, saved.content
    assert dinkes.get(url, HTTP_IF_NONE_MATCH=tag).status_code == 304
    assert bureau.get(url, HTTP_IF_NONE_MATCH=bureau_tag).status_code == 200
    # The names' checksum is of its own agency, not of every invited one (a guess of who else was
    # invited could be checked against it).
    invited = sorted((s.pk, s.nama_pendek) for s in dossier.invited.all())
    assert len(invited) > 1
    mark = tag.strip('"').rsplit("-n", 1)[1]
    assert mark != fingerprint(invited, 8)
    assert mark == fingerprint([(people["dinkes"].skpd_id, people["dinkes"].skpd.nama_pendek)], 8)
    # It is still a good If-Match.
    assert dinkes.post(f"{url}iku-saya/draf/", {"baris": [{"indikator": "Angka Y"}]}, HTTP_IF_MATCH=tag).status_code == 200
