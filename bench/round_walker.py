"""A whole round walked through HAProxy as its people walk it: page by page, form by form.

For the stack drill (bench/stack_drill.py): while faults happen, the staff upload what each step
needs, record its meeting, the one whose step it is finishes it (with their password where the step
signs), the Kabag initials, the Kabiro signs the Nota, and the Kepgub's number is recorded. A request
that fails is sent again as a user would, after opening the form again: a finish sent twice is
refused as stale by the form's `state`, never done twice; the drill then counts each step's audit
events in the database.

The steps come from the app's own step data (`STEP_DATA`, run in the app's shell), not a copy here.
"""

import datetime
import http.cookiejar
import json
import re
import time
import urllib.parse
import urllib.request
import uuid
from zoneinfo import ZoneInfo

from fault_drill import NO_ANSWER

# Printed by `manage.py shell -c STEP_DATA`: what each step needs and who finishes it.
STEP_DATA = """
import json
from workflow.roles import Role
from workflow.steps import STEPS
from workflow.views.access import BUSY
print("BUSY", json.dumps(BUSY))
print("STEPS", json.dumps([{
    "state": s.state, "number": s.number, "actor": str(s.actors[0]), "signs": bool(s.signs),
    "uploads": [str(k) for k in (*s.requires, *s.produces)], "meetings": s.min_meetings,
    "uploader": "staf" if Role.STAF in s.may_upload else (str(s.may_upload[0]) if s.may_upload else ""),
} for s in STEPS]))
"""
PASSWORD = "sopiku-demo"
LOCAL = ZoneInfo("Asia/Pontianak")
PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%% round walker\n%%EOF\n"
HIDDEN = ("csrfmiddlewaretoken", "state", "revision", "kunci_kirim")


class Refused(Exception):
    """The form came back: what it said is kept for the drill's report."""


class Busy(Refused):
    """The form came back saying the database was too busy to take it (a lock not granted in time)
    and asking to be sent again in a moment, which its user does. (A database gone in the middle of
    the write is a 503 page, sent again as any error page is.)"""


def said(page: str) -> str:
    """What a form that came back says of itself (its error lists and messages, tags taken out),
    so that the drill's report names the refusal instead of "form returned"."""
    found = re.findall(r'class="[^"]*(?:errorlist|error|msg|pesan)[^"]*"[^>]*>(.*?)</(?:ul|div|p|section)>', page, re.S)
    texts = [" ".join(re.sub(r"<[^>]+>", " ", block).split()) for block in found]
    title = re.search(r"<title>(.*?)</title>", page, re.S)
    return (" | ".join(t for t in texts if t)[:400] or "form returned without a message") + (
        f" (page: {' '.join(title.group(1).split())})" if title else "")


class RoundWalker:
    def __init__(self, base: str, sessions: dict[str, str], steps: dict, count, state_of, retry_for: float = 60):
        """`steps` is what `steps_of` read from the app; `state_of(dossier)` reads where a dossier
        stands (the drill reads its database; an OSError when it cannot); `count(good)` is told of
        every request."""
        self.base, self.sessions, self.count, self.retry_for = base, sessions, count, retry_for
        self.steps, self.busy = steps["steps"], steps["busy"]
        self.state_of = state_of
        self.finished_rounds = []
        self.sent_again = 0
        self.running = True

    def _page(self, who: str, url: str, jar=None) -> str:
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar if jar is not None else
                                                                                http.cookiejar.CookieJar()))
        request = urllib.request.Request(self.base + url, headers={"Cookie": f"sessionid={self.sessions[who]}"})
        return opener.open(request, timeout=30).read().decode()

    def post(self, who: str, url: str, fields: dict, file: tuple[str, bytes] | None = None, form: dict | None = None) -> str:
        """Send the form at `url` as `who` with `fields`; the page answered. `form` keeps the form's
        hidden fields (its CSRF token, state, revision and one-time key) from the first time it was
        opened: sent again, it is the same form, as a user's "Kirim lagi" sends it. A form that comes
        back (the same URL) is Refused."""
        form = {} if form is None else form
        if not form:
            jar = http.cookiejar.CookieJar()
            html = self._page(who, url, jar)
            form.update({name: found.group(1) for name in HIDDEN
                         if (found := re.search(rf'name="{name}" value="([^"]*)"', html))})
            form["cookie"] = f"sessionid={self.sessions[who]}; csrftoken=" + next(c.value for c in jar if c.name == "csrftoken")
        fields = {k: v for k, v in form.items() if k != "cookie"} | fields
        if file is None:
            body = urllib.parse.urlencode(fields, doseq=True).encode()
            content_type = "application/x-www-form-urlencoded"
        else:
            boundary = uuid.uuid4().hex
            body = b"".join(f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
                            for k, v in fields.items())
            body += (f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{file[0]}"\r\n'
                     "Content-Type: application/pdf\r\n\r\n").encode() + file[1] + f"\r\n--{boundary}--\r\n".encode()
            content_type = f"multipart/form-data; boundary={boundary}"
        answer = urllib.request.urlopen(urllib.request.Request(self.base + url, data=body, headers={
            "Cookie": form["cookie"], "Referer": self.base + "/", "Content-Type": content_type}), timeout=60)
        text = answer.read().decode(errors="replace")
        if answer.geturl().endswith(url):
            raise (Busy if self.busy in " ".join(text.split()) else Refused)(f"{who} at {url}: {said(text)}")
        return text

    def until_done(self, act, what: str):
        """`act` until it is answered, as a user sends a form again after an error page."""
        deadline = time.monotonic() + self.retry_for
        while True:
            try:
                answer = act()
                self.count(True)
                return answer
            except (*NO_ANSWER, StopIteration, AttributeError, Busy) as problem:
                self.count(False)
                if time.monotonic() > deadline:
                    raise RuntimeError(f"{what}: still failing after {self.retry_for:.0f} s: {problem}") from problem
                self.sent_again += 1
                time.sleep(1)

    def read_state(self, dossier: int) -> str:
        deadline = time.monotonic() + self.retry_for
        while True:
            try:
                return self.state_of(dossier)
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.5)

    def walk(self, dossier: int) -> None:
        by_state = {step["state"]: step for step in self.steps}
        action = f"/dosier/{dossier}/aksi/"
        while self.running:
            state = self.read_state(dossier)
            if state == "di_gubernur":
                number, form = f"{dossier}/BIRO KESRA/LATIHAN", {}
                today = datetime.datetime.now(LOCAL).date().isoformat()
                self._finish_once(dossier, state, lambda: self.post(
                    "staf", action + "catat_penetapan/", {"nomor_kepgub": number, "tanggal_kepgub": today}, form=form))
                continue
            step = by_state.get(state)
            if step is None:
                self.finished_rounds.append(dossier)
                return
            for kind in step["uploads"]:
                form = {}
                self.until_done(lambda kind=kind, form=form: self.post(
                    step["uploader"], action + "unggah_dokumen/", {"kind": kind}, file=(f"{kind}.pdf", PDF), form=form),
                    f"upload {kind} at {state}")
            for _ in range(step["meetings"]):
                held, form = datetime.datetime.now(LOCAL).strftime("%Y-%m-%dT%H:%M"), {}
                self.until_done(lambda held=held, form=form: self.post("staf", action + "catat_rapat/", {
                    "held_at": held, "tempat": "Ruang Rapat Biro Kesra", "pimpinan": "Kepala Biro",
                    "ringkasan": "Latihan gangguan: pembahasan IKU SKPD."}, form=form), f"meeting at {state}")
            form = {}
            self._finish_once(dossier, state, lambda form=form: self._finish(step, action, form))

    def _finish(self, step, action, form):
        url = action + "selesaikan/"
        if "fields" not in form:
            html = self._page(step["actor"], url)
            form["fields"] = {"skpd_belum_mengirim": re.findall(r'name="skpd_belum_mengirim" value="(\d+)"', html),
                              "catatan": "Latihan gangguan"}
            if step["signs"] or 'name="kata_sandi"' in html:
                form["fields"]["kata_sandi"] = PASSWORD
        sent = form.setdefault("sent", {})
        return self.post(step["actor"], url, form["fields"], form=sent)

    def _finish_once(self, dossier, state, act):
        """Finish the step; an error page or a busy refusal may hide a finish that was done, so the
        state is read again before the same form is sent again."""
        deadline = time.monotonic() + self.retry_for
        while True:
            try:
                act()
                self.count(True)
                return
            except (*NO_ANSWER, StopIteration, AttributeError, Busy) as problem:
                self.count(False)
                if time.monotonic() > deadline:
                    raise RuntimeError(f"finish {state}: still failing after {self.retry_for:.0f} s: {problem}") from problem
                time.sleep(1)
                if self.read_state(dossier) != state:
                    return
                self.sent_again += 1


def steps_of(manage) -> dict:
    """The app's steps, and the words its busy refusal begins with (whitespace as a page shows it)."""
    out = manage("shell", "-c", STEP_DATA)
    printed = {line.split(" ", 1)[0]: json.loads(line.split(" ", 1)[1]) for line in out.splitlines()
               if line.startswith(("STEPS ", "BUSY "))}
    return {"steps": printed["STEPS"], "busy": " ".join(printed["BUSY"].split()[:6])}
