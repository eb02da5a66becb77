"""A webhook receiver to try SOP-IKU's webhooks with (standard library only): it checks each
delivery's signature and timestamp and prints the event.

    python3 docs/contoh/penerima_webhook.py 127.0.0.1 8732 RAHASIA_WEBHOOK
"""

import hashlib
import hmac
import json
import sys
import time
from http.server import BaseHTTPRequestHandler, HTTPServer

TOLERANCE = 300


def genuine(secret: str, body: bytes, timestamp: str, signature: str) -> bool:
    if not timestamp.isdigit() or abs(time.time() - int(timestamp)) > TOLERANCE:
        return False
    expected = "sha256=" + hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, signature)


class Receiver(BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        ok = genuine(SECRET, body, self.headers.get("X-SOPIKU-Timestamp", ""), self.headers.get("X-SOPIKU-Signature", ""))
        self.send_response(200 if ok else 401)
        self.end_headers()
        event = json.loads(body) if ok else {}
        print("SAH" if ok else "DITOLAK", self.headers.get("X-SOPIKU-Event"),
              json.dumps({k: event.get(k) for k in ("dosier", "skpd", "dari", "ke")}, ensure_ascii=False), flush=True)


if __name__ == "__main__":
    host, port, SECRET = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    HTTPServer((host, port), Receiver).serve_forever()
