"""The SKPD of a user's page in the admin is typed, not scrolled: found among some forty-five agencies by
its name, short name or everyday abbreviation ("Dinkes"), as the agency list's own search finds it.
Only the agencies the field offered before are found: never a deactivated one, which stays chosen on
the pages of the accounts it already has. Staff who add users without the agency list find them too."""

import re

from tests.factories import admin_user_form, client_for, staff
from workflow.models import Skpd, User

SEARCH = "/admin/autocomplete/"
USER_SKPD = {"app_label": "workflow", "model_name": "user", "field_name": "skpd"}


def found(client, term: str) -> list[str]:
    """The agencies the user page's SKPD field lists for `term`, as its dropdown shows them."""
    answer = client.get(SEARCH, USER_SKPD | {"term": term})
    assert answer.status_code == 200, answer.content[:500]
    return [result["text"] for result in answer.json()["results"]]


def new_user(skpd, **changes) -> dict:
    return {
        "username": "petugas.baru", "password1": "kata-sandi-panjang-9", "password2": "kata-sandi-panjang-9",
        "usable_password": "true", "nama": "Petugas Baru", "nip": "19660801 198803 1 002", "jabatan": "Analis",
        "pangkat_golongan": "III/a", "skpd": skpd.pk,
        "role_set-TOTAL_FORMS": "1", "role_set-INITIAL_FORMS": "0", "role_set-0-role": "skpd",
    } | changes


def test_the_user_page_finds_an_agency_by_its_abbreviation_and_keeps_it_when_refused(people):
    admin = client_for(people, "admin")
    page = admin.get("/admin/workflow/user/add/").content.decode()
    select = re.search(r'<select name="skpd"[^>]*>', page).group(0)
    # Django's own search box, its script served from this site (no CDN), its words in Indonesian.
    assert 'class="admin-autocomplete"' in select and 'data-field-name="skpd"' in select
    assert "/static/admin/js/autocomplete.js" in page and "/static/admin/js/vendor/select2/i18n/id.js" in page
    assert "singkatannya (mis. Dinkes)" in page
    assert found(admin, "dinkes") == ["Dinas Kesehatan"]
    assert found(admin, "Bappeda") == ["Bappeda"]
    assert "Dinas Sosial" in found(admin, "sosial")
    dinsos = Skpd.objects.get(singkatan="Dinsos")
    refused = admin.post("/admin/workflow/user/add/", new_user(dinsos, nip="196602301988031001"))
    assert refused.status_code == 200 and "Tanggal lahir pada NIP" in refused.content.decode()
    # The agency picked comes back chosen, under its name, with everything else typed.
    assert re.search(rf'<option value="{dinsos.pk}" selected>Dinas Sosial</option>', refused.content.decode())
    assert 'value="Petugas Baru"' in refused.content.decode()
    assert admin.post("/admin/workflow/user/add/", new_user(dinsos)).status_code == 302
    assert User.objects.get(username="petugas.baru").skpd == dinsos


def test_a_deactivated_agency_is_found_for_no_account_but_stays_with_its_own(people):
    admin = client_for(people, "admin")
    officer = people["dinkes"]
    dinkes = officer.skpd
    Skpd.objects.filter(pk=dinkes.pk).update(aktif=False)
    assert found(admin, "dinkes") == [] and "Dinas Kesehatan" not in found(admin, "kesehatan")
    every, page, more = [], 1, True
    while more:
        answer = admin.get(SEARCH, USER_SKPD | {"term": "", "page": page}).json()
        every, page, more = every + [result["text"] for result in answer["results"]], page + 1, answer["pagination"]["more"]
    assert "Dinas Kesehatan" not in every and len(every) == Skpd.objects.filter(aktif=True).count()
    # Typed in by hand all the same, it is refused at the field.
    refused = admin.post("/admin/workflow/user/add/", new_user(dinkes))
    assert refused.status_code == 200 and "skpd" in refused.context["adminform"].form.errors
    assert not User.objects.filter(username="petugas.baru").exists()
    # Its officer's page still shows it chosen, and saves with it.
    page = admin.get(f"/admin/workflow/user/{officer.pk}/change/").content.decode()
    assert re.search(rf'<option value="{dinkes.pk}" selected>Dinas Kesehatan</option>', page)
    assert admin.post(f"/admin/workflow/user/{officer.pk}/change/", admin_user_form(officer)).status_code == 302
    assert User.objects.get(pk=officer.pk).skpd_id == dinkes.pk
    # The agency list's search and the user list's filter still name it.
    assert "Dinas Kesehatan" in admin.get("/admin/workflow/skpd/", {"q": "dinkes"}).content.decode()
    assert f"skpd__id__exact={dinkes.pk}" in admin.get("/admin/workflow/user/").content.decode()


def test_staff_who_add_users_find_the_agencies_without_the_agency_list(people):
    # Django's own rule: adding a user asks the permission to change users too.
    client = staff(["add_user", "change_user", "view_user", "add_userrole"])
    Skpd.objects.filter(singkatan="Dinsos").update(aktif=False)
    assert found(client, "dinkes") == ["Dinas Kesehatan"] and found(client, "dinsos") == []
    dinkes = Skpd.objects.get(singkatan="Dinkes")
    assert client.post("/admin/workflow/user/add/", new_user(dinkes)).status_code == 302
    assert User.objects.get(username="petugas.baru").skpd == dinkes
    # Nothing more: not the agency list, nor the search behind another field naming agencies.
    assert client.get("/admin/workflow/skpd/").status_code == 403
    assert client.get(f"/admin/workflow/skpd/{dinkes.pk}/change/").status_code == 403
    other = {"app_label": "iku", "model_name": "ikusubmission", "field_name": "skpd", "term": "dinsos"}
    assert client.get(SEARCH, other).status_code == 403
    # Who may only read the users picks no agency for them.
    reader = staff(["view_user"], username="pembaca")
    assert reader.get(SEARCH, USER_SKPD | {"term": "dinkes"}).status_code == 403


def test_a_search_of_a_thousand_words_answers_nothing_found(people):
    # SQLite refused a query of so many conditions: a server error.
    assert found(client_for(people, "admin"), " ".join(f"kata{number}" for number in range(1500))) == []


def test_the_search_asks_as_much_for_five_agencies_found_as_for_sixty(people):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def made(numbers):
        Skpd.objects.bulk_create([Skpd(nama=f"Badan Uji {n}", nama_pendek=f"Badan Uji {n}", kind="Badan")
                                  for n in numbers])

    admin = client_for(people, "admin")
    made(range(5))
    found(admin, "dinas")
    with CaptureQueriesContext(connection) as few:
        assert len(found(admin, "Badan Uji")) == 5
    made(range(5, 60))
    with CaptureQueriesContext(connection) as many:
        # Django's page of twenty, and a next page to ask for.
        assert len(found(admin, "Badan Uji")) == 20
    assert len(many) == len(few), [q["sql"][:120] for q in many.captured_queries]
