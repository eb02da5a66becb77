"""Anonymous uploads on the public verification page against a signed-in user's inbox.

Issue 29: four clients posting 9 MB copies to /verifikasi/ raised a signed-in user's inbox from
9 ms to a median of 2.4 s. This serves the app with gunicorn (2 sync workers, DEBUG off) on a
loopback port, on PostgreSQL, and times the Kasubag's inbox (one request at a time) while, phase by
phase for --seconds each:

- quiet: nothing else;
- one address: 4 clients post ~4.9 MB copies of the signed Nota (altered, so the whole check runs)
  in a loop from one address (its quota then answers 429);
- four addresses: the same from 4 addresses (X-Forwarded-For behind SOP_PROXY_COUNT=1) with the
  quota lifted, so only the cap on uploads read at once (SOP_VERIFY_AT_ONCE=1) stands between them
  and the workers;
- four addresses, no cap: the same with SOP_VERIFY_AT_ONCE=2, one place per worker, which is what
  the page did before (every worker could be taken by an upload);
- 9 MB: 4 clients post 9 MB copies (refused from their declared length, unread);
- slow bodies: 2 clients send their upload's headers, then the body at 2 KB/s;
- slow headers: 2 clients send a request's headers at 20 bytes/s (before the app sees anything).

Each upload client sends its body in blocks and stops as soon as an answer arrives, as a browser
does; "cut" counts uploads whose connection was closed before any answer was read.

Run (PostgreSQL on 127.0.0.1, role sopiku/sopiku with CREATEDB; drops and makes the database):
    .venv/bin/python bench/verify_upload_bench.py [--seconds 20] [--database sopiku_verify]
"""

import argparse
import functools
import http.client
import multiprocessing
import os
import re
import select
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import load_bench

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv/bin/python")
PORT = 8766
BLOCK = 64 * 1024

SETUP = """
from django.contrib.auth import get_user_model
from django.contrib.sessions.backends.db import SessionStore
from naskah.models import NaskahRecord
from naskah import record
user = get_user_model().objects.get(username="kasubag")
session = SessionStore()
session.update({"_auth_user_id": str(user.pk), "_auth_user_backend": "workflow.auth.AgencyModelBackend",
                "_auth_user_hash": user.get_session_auth_hash()})
session.create()
found = NaskahRecord.objects.exclude(final_sha256="").first() or NaskahRecord.objects.first()
if found.is_final:
    data = record.served_bytes(found)
else:
    with found.document.file.open("rb") as stored:
        data = stored.read()
open(OUT, "wb").write(data)
print(session.session_key, found.final_token if found.is_final else found.token)
"""


def environment(database, media):
    return os.environ | {
        "DATABASE_URL": f"postgres://sopiku:sopiku@127.0.0.1:5432/{database}", "DJANGO_DEBUG": "false",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SOP_HTTPS": "false", "DJANGO_SECRET_KEY": "bench-" + "x" * 50, "SOP_TASKS_IMMEDIATE": "true",
        "DJANGO_SETTINGS_MODULE": "sop_iku.settings", "MEDIA_ROOT": media, "SOP_PROXY_COUNT": "1",
    }


def prepare(env, database):
    psql = ["psql", "-q", "-h", "127.0.0.1", "-U", "sopiku", "-d", "postgres", "-c"]
    pg = env | {"PGPASSWORD": "sopiku", "PGOPTIONS": "-c client_min_messages=error"}
    subprocess.run([*psql, f"DROP DATABASE IF EXISTS {database} WITH (FORCE)"], env=pg, check=True)
    subprocess.run([*psql, f"CREATE DATABASE {database}"], env=pg, check=True)
    subprocess.run([PYTHON, "manage.py", "migrate", "-v", "0"], cwd=ROOT, env=env, check=True)
    subprocess.run([PYTHON, "manage.py", "demo_data"], cwd=ROOT, env=env, check=True, capture_output=True)
    copy = Path(env["MEDIA_ROOT"]) / "naskah.pdf"
    out = subprocess.run([PYTHON, "manage.py", "shell", "-c", f"OUT = {str(copy)!r}\n" + SETUP], cwd=ROOT, env=env,
                         check=True, capture_output=True, text=True).stdout.split()
    return out[-2], out[-1], copy.read_bytes()


def forget_uploads(env):
    subprocess.run([PYTHON, "manage.py", "shell", "-c",
                    "from throttle.models import Hits, Lease; Hits.objects.all().delete(); Lease.objects.all().delete()"],
                   cwd=ROOT, env=env, check=True)


def serve(env):
    return load_bench.serve(env=env, port=PORT)


def stop(process):
    os.killpg(process.pid, signal.SIGTERM)
    process.wait(timeout=40)


def csrf(token):
    """A csrftoken cookie and the form's token, as a browser holds them after opening the page."""
    connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
    connection.request("GET", f"/verifikasi/{token}/")
    response = connection.getresponse()
    page = response.read().decode()
    cookie = re.search(r"csrftoken=([^;]+)", response.getheader("Set-Cookie", "")).group(1)
    connection.close()
    return cookie, re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)


def multipart(form_token, data):
    boundary = "----bench" + "7" * 16
    head = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"csrfmiddlewaretoken\"\r\n\r\n{form_token}\r\n"
            f"--{boundary}\r\nContent-Disposition: form-data; name=\"berkas\"; filename=\"salinan.pdf\"\r\n"
            "Content-Type: application/pdf\r\n\r\n").encode()
    return f"multipart/form-data; boundary={boundary}", head + data + f"\r\n--{boundary}--\r\n".encode()


def post(token, cookie, content_type, body, address, pace=None):
    """One upload; the status answered, or "cut". `pace`: bytes per second to send the body at."""
    sock = socket.create_connection(("127.0.0.1", PORT), timeout=120)
    try:
        head = (f"POST /verifikasi/{token}/ HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: csrftoken={cookie}\r\n"
                f"X-Forwarded-For: {address}\r\nContent-Type: {content_type}\r\n"
                f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n").encode()
        sock.sendall(head)
        step = BLOCK if pace is None else max(pace // 4, 1)
        try:
            for start in range(0, len(body), step):
                if select.select([sock], [], [], 0)[0]:
                    break  # answered before the body was sent: stop, as a browser does
                sock.sendall(body[start:start + step])
                if pace is not None:
                    time.sleep(step / pace)
        except OSError:
            pass  # the server stopped reading: its answer may still be there to read
        answer = sock.recv(64)
        match = re.match(rb"HTTP/1\.[01] (\d{3})", answer)
        return int(match.group(1)) if match else "cut"
    except OSError:
        return "cut"
    finally:
        sock.close()


def upload_once(token, cookie, content_type, body, address, pace, until):
    return post(token, cookie, content_type, body, address, pace)


def slow_headers(until):
    """A client that takes its time over a request's headers: 20 bytes a second."""
    while time.monotonic() < until:
        try:
            sock = socket.create_connection(("127.0.0.1", PORT), timeout=120)
            request = b"GET /sehat/ HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Padding: " + b"a" * 2000 + b"\r\n\r\n"
            for start in range(0, len(request), 5):
                if time.monotonic() >= until:
                    break
                sock.sendall(request[start:start + 5])
                time.sleep(0.25)
            sock.close()
        except OSError:
            time.sleep(0.1)


def inbox_times(session, until):
    times, failures = [], 0
    while time.monotonic() < until:
        started = time.perf_counter()
        try:
            connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=60)
            connection.request("GET", "/", headers={"Cookie": f"sessionid={session}"})
            response = connection.getresponse()
            response.read()
            connection.close()
            if response.status != 200:
                failures += 1
            times.append((time.perf_counter() - started) * 1000)
        except OSError:
            failures += 1
        time.sleep(0.05)
    return times, failures


def client_loop(client, until, results):
    counted = {}
    while time.monotonic() < until:
        answer = client(until)
        if answer is not None:
            counted[answer] = counted.get(answer, 0) + 1
    results.put(counted)


def phase(name, seconds, session, clients):
    """The clients each in a process of their own, so the inbox's timer never waits on them for
    Python's interpreter lock."""
    until = time.monotonic() + seconds
    results = multiprocessing.Queue()
    processes = [multiprocessing.Process(target=client_loop, args=(c, until, results), daemon=True) for c in clients]
    for process in processes:
        process.start()
    times, failures = inbox_times(session, until)
    counted = {}
    for _ in processes:
        for answer, n in results.get(timeout=180).items():
            counted[answer] = counted.get(answer, 0) + n
    for process in processes:
        process.join(timeout=30)
    uploads = ", ".join(f"{k}: {v}" for k, v in sorted(counted.items(), key=str)) or "-"
    quantiles = statistics.quantiles(times, n=10) if len(times) > 1 else [times[0]] * 9
    print(f"| {name} | {len(times)} | {statistics.median(times):.0f} | {quantiles[8]:.0f} | {max(times):.0f} | "
          f"{failures} | {uploads} |", flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--database", default="sopiku_verify")
    args = parser.parse_args()
    media = tempfile.mkdtemp(prefix="verify-bench-")
    env = environment(args.database, media)
    print("Preparing the database (migrate, demo data)...", file=sys.stderr, flush=True)
    session, token, signed = prepare(env, args.database)
    # The signed Nota padded past its %%EOF: reads as the same PDF, is not the stored bytes, so the
    # whole check runs (signature validation, looking for the printed address).
    copy = signed + b"\n%" + os.urandom(4_900_000 - len(signed))
    big = signed + b"\n%" + os.urandom(9_000_000 - len(signed))
    print(f"\nInbox of the Kasubag, ms, one request at a time; {args.seconds} s a phase; uploads by answer\n")
    print("| phase | inbox requests | median | p90 | max | inbox failures | uploads |")
    print("|---|---|---|---|---|---|---|")
    settings_by_phase = [
        ("quiet", {}, lambda c, f: []),
        ("4 clients, 1 address, 4.9 MB", {}, lambda c, f: [uploader(c, f, copy, "198.51.100.1") for _ in range(4)]),
        ("4 clients, 4 addresses, 4.9 MB, quota lifted", {"SOP_VERIFY_UPLOADS": "1000000"},
         lambda c, f: [uploader(c, f, copy, f"198.51.100.{n}") for n in range(1, 5)]),
        ("same, no cap (SOP_VERIFY_AT_ONCE=2: as before)", {"SOP_VERIFY_UPLOADS": "1000000", "SOP_VERIFY_AT_ONCE": "2"},
         lambda c, f: [uploader(c, f, copy, f"198.51.100.{n}") for n in range(1, 5)]),
        ("4 clients, 4 addresses, 9 MB", {"SOP_VERIFY_UPLOADS": "1000000"},
         lambda c, f: [uploader(c, f, big, f"198.51.100.{n}") for n in range(1, 5)]),
        ("2 slow bodies (2 KB/s)", {"SOP_VERIFY_UPLOADS": "1000000"},
         lambda c, f: [uploader(c, f, copy, f"198.51.100.{n}", pace=2048) for n in range(1, 3)]),
        ("2 slow headers (20 B/s)", {}, lambda c, f: [slow_headers] * 2),
    ]

    def uploader(cookie, form_token, data, address, pace=None):
        content_type, body = multipart(form_token, data)
        return functools.partial(upload_once, token, cookie, content_type, body, address, pace)

    try:
        for name, extra, clients in settings_by_phase:
            forget_uploads(env)
            server = serve(env | extra)
            try:
                cookie, form_token = csrf(token)
                inbox_times(session, time.monotonic() + 1)  # each worker warm
                phase(name, args.seconds, session, clients(cookie, form_token))
            finally:
                stop(server)
    finally:
        shutil.rmtree(media, ignore_errors=True)


if __name__ == "__main__":
    multiprocessing.set_start_method("fork")
    main()
