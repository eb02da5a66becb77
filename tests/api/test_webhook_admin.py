"""A receiver's URL the admin types is one a delivery can be sent to: http or https, a port that
exists, a host DNS can be asked for; a host or path in other letters than ASCII is sent encoded.
Why a call failed is told in Indonesian on the delivery's page, each call named in words."""

import html
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.exceptions import ValidationError

from webhooks import delivery as sending
from webhooks import models as hooks
from webhooks.models import Call, Delivery, Event, Webhook

PORT_RANGE = "Port URL penerima harus bilangan 1 sampai 65535."


def add_hook(admin_client, url):
    response = admin_client.post("/admin/webhooks/webhook/add/", {
        "nama": "Penerima Biro", "url": url, "events": [Event.DOSSIER_MOVED], "aktif": "on"})
    return response, html.unescape(response.content.decode())


@pytest.mark.parametrize(("url", "said"), [
    ("http://penerima.example:99999/kait", PORT_RANGE),
    ("http://penerima.example:0/kait", PORT_RANGE),
    ("ftp://penerima.example/kait", "URL penerima harus diawali http:// atau https://."),
    ("http://pengguna:sandi@penerima.example/kait", "tidak boleh memuat nama pengguna atau sandi"),
])
def test_a_url_no_delivery_could_reach_is_refused_at_its_field(admin_client, url, said):
    response, page = add_hook(admin_client, url)
    assert response.status_code == 200 and said in page
    assert not Webhook.objects.exists()


def test_the_model_refuses_the_same_urls_outside_the_admin(db):
    with pytest.raises(ValidationError) as refused:
        Webhook(nama="x", url="http://penerima.example:99999/", events=[Event.DOSSIER_MOVED]).full_clean()
    assert refused.value.message_dict["url"] == [PORT_RANGE]


def test_a_unicode_host_and_path_are_kept_as_typed_and_sent_encoded(admin_client):
    response, _ = add_hook(admin_client, "http://ünïcode.example/ä")
    assert response.status_code == 302
    assert Webhook.objects.get().url == "http://ünïcode.example/ä"
    assert (hooks.wire_url("http://ünïcode.example:8080/ä b?q=ä")
            == "http://xn--ncode-cta3g.example:8080/%C3%A4%20b?q=%C3%A4")


class PathReceiver:
    """Answers 200 to any POST and keeps the request's path as it arrived."""

    def __init__(self):
        self.paths = []
        paths = self.paths

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                self.rfile.read(int(self.headers.get("Content-Length", 0)))
                paths.append(self.path)
                self.send_response(200)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"

    def __enter__(self):
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


def delivery_to(url) -> Delivery:
    hook = Webhook.objects.create(nama="Penerima Biro", url=url, events=[Event.DOSSIER_MOVED])
    return Delivery.objects.create(webhook=hook, event=Event.DOSSIER_MOVED, body="{}")


def test_a_delivery_to_a_unicode_path_arrives(db):
    with PathReceiver() as receiver:
        sent = sending.attempt(delivery_to(f"{receiver.url}/kait/ä?jenis=ü").pk)
    assert sent.status == Delivery.Status.DELIVERED, sent.calls.get().error
    assert receiver.paths == ["/kait/%C3%A4?jenis=%C3%BC"]


def test_the_delivery_page_says_why_a_call_failed_in_indonesian(admin_client, db):
    refused = sending.attempt(delivery_to("http://127.0.0.1:9/tidak-ada").pk)
    assert refused.calls.get().error.startswith("Koneksi ditolak")
    # A call kept before the reasons were worded shows its reason in words too.
    Call.objects.create(delivery=refused, url="http://ünïcode.example/ä",
                        error="'ascii' codec can't encode characters in position 5-6: ordinal not in range(128)")
    page = html.unescape(admin_client.get(f"/admin/webhooks/delivery/{refused.pk}/change/").content.decode())
    assert "Koneksi ditolak" in page and "URL penerima tidak dapat dipakai" in page
    assert "Connection refused" not in page and "ordinal not in range" not in page
    assert "Call object" not in page and "Panggilan " in page
