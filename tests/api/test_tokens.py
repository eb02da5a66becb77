"""API tokens: stored as a hash and shown once, read-only or read-write, expiring, revocable, counted
against a quota; made and revoked on the user's own page and in the admin."""

import datetime as dt
import hashlib

from django.test import Client
from django.utils import timezone

from api import tokens
from api.models import Access, ApiToken
from tests.api.helpers import as_token
from tests.factories import client_for

ME = "/api/v1/saya/"


def test_a_token_is_kept_only_as_its_hash_and_its_prefix(people):
    row, token = tokens.issue(people["dinkes"], "e-SAKIP", Access.READ, 30)
    stored = ApiToken.objects.get(pk=row.pk)
    assert stored.digest == hashlib.sha256(token.encode()).hexdigest()
    assert token.startswith(f"sopiku_{stored.prefix}_")
    assert all(token not in str(value) for value in ApiToken.objects.values().get(pk=row.pk).values())


def test_a_program_with_a_token_acts_as_its_user(people):
    caller = as_token(people, "dinkes", Access.READ, "e-SAKIP Dinkes")
    response = caller.get(ME)
    assert response.status_code == 200
    assert response.json()["username"] == "dinkes"
    assert response.json()["skpd"] == "Dinas Kesehatan"
    assert response.json()["token"]["nama"] == "e-SAKIP Dinkes"
    assert ApiToken.objects.get(pk=caller.row.pk).last_used_at is not None


def refused(response):
    assert response.status_code == 401, response.content
    assert response["WWW-Authenticate"].startswith("Bearer")
    return response.json()["detail"]


def test_no_token_a_wrong_one_an_expired_or_revoked_one_or_an_inactive_user_is_401(people):
    assert refused(Client().get(ME))
    caller = as_token(people, "kasubag")
    wrong = caller.token[:-4] + "AAAA"
    assert "Token tidak dikenal" in refused(Client().get(ME, HTTP_AUTHORIZATION=f"Bearer {wrong}"))
    ApiToken.objects.filter(pk=caller.row.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert "kedaluwarsa" in refused(caller.get(ME))
    other = as_token(people, "kasubag")
    tokens.revoke(other.row)
    assert "dicabut" in refused(other.get(ME))
    third = as_token(people, "staf")
    people["staf"].is_active = False
    people["staf"].save()
    refused(third.get(ME))


def test_a_read_only_token_may_not_write(people):
    reader = as_token(people, "kasubag", Access.READ)
    response = reader.post(ME)
    assert response.status_code == 403
    assert "hanya untuk membaca" in response.json()["detail"]
    # The same call with a read-write token gets past the token's scope (and this address takes no POST).
    assert as_token(people, "kasubag").post(ME).status_code == 405


def test_too_many_requests_are_answered_429_with_when_to_return(people, settings):
    settings.SOP_API_REQUESTS = 2
    caller = as_token(people, "kasubag")
    assert [caller.get(ME).status_code for _ in range(3)] == [200, 200, 429]
    assert int(caller.get(ME)["Retry-After"]) > 0
    # Another token has its own count.
    assert as_token(people, "kasubag").get(ME).status_code == 200


def test_a_user_makes_a_token_sees_it_once_and_revokes_it(people):
    client = client_for(people, "dinkes")
    response = client.post("/token-api/", {"nama": "e-SAKIP", "akses": Access.WRITE, "hari": 90})
    assert response.status_code == 200
    made = ApiToken.objects.get(user=people["dinkes"])
    secret = response.context["made"]["secret"]
    assert secret in response.content.decode()
    assert made.expires_at - made.created_at == dt.timedelta(days=90)
    assert secret not in client.get("/token-api/").content.decode()
    assert Client().get(ME, HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 200
    # Another user's token cannot be revoked from here, whatever the number.
    assert client_for(people, "dinsos").post(f"/token-api/{made.pk}/cabut/").status_code == 404
    assert client.post(f"/token-api/{made.pk}/cabut/").status_code == 302
    assert Client().get(ME, HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 401


def test_a_refused_token_form_keeps_what_was_typed(people):
    response = client_for(people, "dinkes").post("/token-api/", {"nama": "x" * 101, "akses": "semua", "hari": 7})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "100 karakter" in errors["nama"][0] and errors["akses"] and errors["hari"]
    assert "x" * 101 in response.content.decode()
    assert not ApiToken.objects.exists()


def test_the_admin_makes_a_token_for_a_user_shows_it_once_and_revokes_it(people):
    admin = client_for(people, "admin")
    response = admin.post("/admin/api/apitoken/add/", {
        "user": people["kabiro"].pk, "nama": "Dasbor Sekda", "akses": Access.READ, "hari": 30,
    })
    assert response.status_code == 200, response.content[:2000]
    row = ApiToken.objects.get(user=people["kabiro"])
    secret = response.context["secret"]
    assert secret in response.content.decode() and tokens.find(secret) == row
    assert secret not in admin.get(f"/admin/api/apitoken/{row.pk}/change/").content.decode()
    admin.post("/admin/api/apitoken/", {"action": "cabut", "_selected_action": [row.pk]})
    assert tokens.find(secret) is None


def test_a_request_with_a_token_reads_the_token_its_user_and_its_quota_in_three_statements(people):
    """The token with its user, their agency and roles in one statement (as a signed-in page reads its
    user), the quota's count and its conditional increment: no statement per role check after."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    caller = as_token(people, "dinkes", Access.READ)
    assert caller.get(ME).status_code == 200  # the quota's window and last_used_at made
    with CaptureQueriesContext(connection) as asked:
        response = caller.get(ME)
    assert response.status_code == 200 and response.json()["skpd"] == "Dinas Kesehatan"
    statements = [query["sql"] for query in asked.captured_queries]
    assert len(statements) == 3, statements
    assert "api_apitoken" in statements[0] and "workflow_userrole" in statements[0]
