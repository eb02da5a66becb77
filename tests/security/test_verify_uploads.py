"""The public verification page takes anonymous uploads: bounded in size before the body is read,
a quota per address (as django-axes reads the address, so a proxy setting applies to both), a cap
on uploads read at once over all workers, and looking at the page stays unlimited."""

import io
import re
import threading
import time

import pytest
from django.db import connection
from django.test import Client

from naskah import record, views_verify
from naskah.views_verify import LEASE, SCOPE
from tests.factories import client_for
from tests.naskah.helpers import generate
from throttle import limits
from throttle.models import Hits, Lease
from workflow.steps import DocKind

NOT_A_PDF = b"bukan pdf " * 20
# Set as an extra: the test client sets the content type only along with a body of its own.
MULTIPART = "multipart/form-data; boundary=x"


@pytest.fixture
def made(people, dossier):
    """An Undangan made at step 1: a document with a public page."""
    assert generate(client_for(people, "kasubag"), dossier, DocKind.UNDANGAN).status_code == 302
    return record.latest(dossier, DocKind.UNDANGAN)


def url(made):
    return f"/verifikasi/{made.token}/"


def upload(client, made, data=NOT_A_PDF, **extra):
    return client.post(url(made), {"berkas": io.BytesIO(data)}, format="multipart", **extra)


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


class Unreadable:
    """A request body that must not be touched."""

    def read(self, *args):
        raise AssertionError("the body was read")

    readline = read


def test_a_declared_length_past_the_limit_is_refused_without_reading_the_body(made, settings):
    assert settings.SOP_VERIFY_MAX_BYTES == 5 * 1024 * 1024 < settings.UPLOAD_MAX_BYTES
    response = Client().generic("POST", url(made), b"", CONTENT_TYPE=MULTIPART,
                                CONTENT_LENGTH=str(6 * 1024 * 1024), **{"wsgi.input": Unreadable()})
    assert response.status_code == 413
    assert "Berkas terlalu besar untuk sebuah naskah. Paling besar 5 MB" in text(response)
    assert url(made) in text(response)  # the way back to the page


def test_a_file_just_over_the_limit_is_told_so_beside_its_field(made, settings):
    settings.SOP_VERIFY_MAX_BYTES = 4096
    page = text(Client().get(url(made)))
    assert "Paling besar 4 KB." in page
    response = upload(Client(), made, b"%PDF-1.4\n" + b"0" * 5000)
    assert response.status_code == 200
    assert "Berkas terlalu besar untuk sebuah naskah. Paling besar 4 KB." in text(response)


def test_ten_uploads_per_address_in_ten_minutes_then_429_while_the_page_and_other_addresses_go_on(made):
    here = Client(REMOTE_ADDR="203.0.113.7")
    for _ in range(10):
        response = upload(here, made)
        assert response.status_code == 200
        assert "Berkas ini bukan PDF." in text(response)
    refused = upload(here, made)
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert "sudah dikirim 10 berkas dalam 10 menit terakhir" in text(refused)
    assert here.get(url(made)).status_code == 200  # looking is not limited
    assert upload(Client(REMOTE_ADDR="203.0.113.8"), made).status_code == 200


def test_behind_a_proxy_the_quota_is_per_client_as_the_lockout_counts_it(made, settings):
    settings.SOP_PROXY_COUNT = 1
    settings.SOP_VERIFY_UPLOADS = 1
    proxy = "10.0.0.1"
    first = Client(REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="198.51.100.1")
    # What the client itself put in the header is left of what the proxy added: not believed.
    claims_another = Client(REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="198.51.100.9, 198.51.100.1")
    second = Client(REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="198.51.100.2")
    assert upload(first, made).status_code == 200
    assert upload(first, made).status_code == 429
    assert upload(claims_another, made).status_code == 429
    assert upload(second, made).status_code == 200


def test_the_quota_slides_so_a_window_edge_does_not_double_it(db):
    def admit(now, key="a"):
        return limits.admit("uji", key, 10, 600, now=now)

    assert all(admit(6599) for _ in range(10))  # ten at the very end of a window
    assert not admit(6599)
    assert admit(6599, key="b")  # another address has its own
    assert not admit(6600)  # a new window, but those ten are still inside the last ten minutes
    assert [admit(6900) for _ in range(6)] == [True] * 5 + [False]  # halfway on, half of them are not
    assert all(admit(7800) for _ in range(10))  # two windows on, the quota is whole again
    assert Hits.objects.filter(scope="uji").count() == 1  # older windows were dropped


def test_the_time_to_return_is_when_one_more_request_is_taken_not_a_flat_period(db):
    # A burst of 300 six seconds into a minute: one more is taken just past that minute's end.
    period, limit, burst_at = 60, 300, 6006.0
    assert all(limits.admit("api", "t", limit, period, now=burst_at) for _ in range(limit))
    assert not limits.admit("api", "t", limit, period, now=burst_at)
    wait = limits.retry_after("api", "t", limit, period, now=burst_at)
    assert not limits.admit("api", "t", limit, period, now=burst_at + wait - 1)
    assert limits.admit("api", "t", limit, period, now=burst_at + wait)
    # Refused while the last minute's requests fade, a client is told the moment one more fits.
    taken = 0
    while limits.admit("api", "t", limit, period, now=6090.0):
        taken += 1
    wait = limits.retry_after("api", "t", limit, period, now=6090.0)
    assert taken and wait < period
    assert not limits.admit("api", "t", limit, period, now=6090.0 + wait - 1)
    assert limits.admit("api", "t", limit, period, now=6090.0 + wait)


def test_an_ipv6_client_is_one_key_for_its_whole_64():
    assert limits.address_key("2001:db8:1:2:aaaa::1") == limits.address_key("2001:db8:1:2:bbbb::2")
    assert limits.address_key("2001:db8:1:3::1") != limits.address_key("2001:db8:1:2::1")
    assert limits.address_key("::ffff:203.0.113.7") == "203.0.113.7"
    assert limits.address_key(None) == "-"


def test_while_every_place_is_taken_an_upload_is_refused_unread_and_the_page_still_opens(made):
    with limits.place(SCOPE, 1, LEASE) as held:
        assert held
        busy = Client().generic("POST", url(made), b"", CONTENT_TYPE=MULTIPART,
                                CONTENT_LENGTH="2048", **{"wsgi.input": Unreadable()})
        assert busy.status_code == 503 and busy["Retry-After"]
        assert "sedang melayani pengunggah lain" in text(busy)
        assert Client().get(url(made)).status_code == 200
    assert upload(Client(), made).status_code == 200
    assert Lease.objects.get().until is None  # given back after the upload


def test_a_place_held_by_a_worker_that_died_frees_itself_after_its_lease(made):
    import datetime as dt

    from django.utils import timezone

    Lease.objects.create(key=f"{SCOPE}:0", holder="mati", until=timezone.now() - dt.timedelta(seconds=1))
    assert upload(Client(), made).status_code == 200


class Stalled(io.BytesIO):
    """A body whose sender goes silent after its first bytes: the server's read fails."""

    def read(self, *args):
        if self.tell():
            raise TimeoutError("timed out")
        return super().read(200)

    readline = read


class Trickling(io.BytesIO):
    """A body sent a little at a time, never quite silent."""

    def read(self, *args):
        time.sleep(0.05)
        return super().read(50)

    readline = read


FILE_PART = b"--x\r\nContent-Disposition: form-data; name=\"berkas\"; filename=\"a.pdf\"\r\n\r\n" + b"0" * 5000


@pytest.mark.parametrize("body", [Stalled, Trickling])
def test_an_upload_that_stalls_or_trickles_is_dropped_in_time_and_frees_its_place(made, monkeypatch, body):
    monkeypatch.setattr(views_verify, "READ_SECONDS", 0.5)
    started = time.monotonic()
    response = Client().generic("POST", url(made), b"", CONTENT_TYPE=MULTIPART,
                                CONTENT_LENGTH=str(len(FILE_PART)), **{"wsgi.input": body(FILE_PART)})
    assert time.monotonic() - started < 3  # the trickle alone would take five seconds
    assert response.status_code == 408
    assert "Unggahan terputus atau terlalu lambat" in text(response)
    assert Lease.objects.get().until is None
    assert upload(Client(), made).status_code == 200


def test_the_upload_still_needs_its_csrf_token(made):
    browser = Client(enforce_csrf_checks=True)
    assert upload(browser, made).status_code == 403
    page = browser.get(url(made)).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    response = browser.post(url(made), {"berkas": io.BytesIO(NOT_A_PDF), "csrfmiddlewaretoken": token})
    assert response.status_code == 200 and "Berkas ini bukan PDF." in text(response)


def test_an_upload_for_an_unknown_token_is_404_unread(db):
    response = Client().generic("POST", "/verifikasi/" + "x" * 43 + "/", b"", CONTENT_TYPE=MULTIPART,
                                CONTENT_LENGTH="2048", **{"wsgi.input": Unreadable()})
    assert response.status_code == 404


def all_at_once(call, times):
    """`call(ready)` in `times` threads and connections, each calling ready() where they should meet."""
    barrier = threading.Barrier(times)
    results = [None] * times

    def run(i):
        try:
            results[i] = call(lambda: barrier.wait(timeout=10))
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(times)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_workers_racing_for_the_last_uploads_and_the_one_place_never_both_get_them():
    def quota(ready):
        ready()
        return limits.admit("uji", "a", 3, 600, now=6000.0)

    assert sorted(all_at_once(quota, 8)) == [False] * 5 + [True] * 3

    def one_place(ready):
        ready()
        with limits.place("uji", 1, LEASE) as held:
            ready()  # every worker is inside its block, holding or refused, at the same time
            return held

    assert sorted(all_at_once(one_place, 6)) == [False] * 5 + [True]
    assert Lease.objects.get(key="uji:0").until is None
