"""The README's curl session works against the demo: the demo data
on a live server, a token made on the agency's Token API page, the bureau's webhook receiver
(docs/contoh/penerima_webhook.py) listening on a loopback port the test chose, and every command of
the session run by bash and curl as written, its output matching what the page shows (ids,
revisions, hashes and the parts the page elides aside). Run by tests/workflow/test_demo_data.py on
the demo it has just checked, so that the demo, most of the time of both, is made once.
"""

import json
import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings as django_settings

from api import tokens
from api.models import Access
from tests.factories import client_for
from webhooks.models import Event, Webhook
from workflow.models import Dossier, User
from workflow.steps import SELESAI, STEP_BY_NUMBER

DOCS = Path(django_settings.BASE_DIR) / "README.md"
RECEIVER = Path(django_settings.BASE_DIR) / "docs" / "contoh" / "penerima_webhook.py"
# What docs/api.md's session sends as baris.json, by the comment on its command.
TABLES = {
    "a row without its indicator": [
        {"sasaran_strategis": "Meningkatnya derajat kesehatan masyarakat", "indikator": "Angka kematian ibu",
         "penjelasan": "Kematian ibu per 100.000 kelahiran hidup", "formula": "Kematian ibu / kelahiran hidup x 100.000",
         "satuan": "per 100.000 KH", "target": "150", "sumber_data": "Profil Kesehatan", "penanggung_jawab": "Bidang Kesmas"},
        {"satuan": "%", "target": "14"},
    ],
}
TABLES["corrected"] = [TABLES["a row without its indicator"][0], {
    "sasaran_strategis": "", "indikator": "Prevalensi stunting balita", "penjelasan": "Balita pendek dan sangat pendek",
    "formula": "Balita stunting / balita diukur x 100", "satuan": "%", "target": "14",
    "sumber_data": "e-PPGBM", "penanggung_jawab": "Bidang Kesmas"}]


def session() -> tuple[list[tuple[str, list[str]]], list[str]]:
    """docs/api.md's session: (command, its output lines) in order, and what the receiver printed."""
    text = DOCS.read_text().split("## A session with curl", 1)[1]
    blocks = re.findall(r"```[a-z]*\n(.*?)```", text, re.S)
    commands: list[tuple[str, list[str]]] = []
    for line in blocks[0].splitlines():
        if line.startswith("$ "):
            commands.append((line[2:], []))
        elif commands and commands[-1][0].endswith("\\"):
            commands[-1] = (commands[-1][0][:-1] + " " + line.strip(), commands[-1][1])
        else:
            commands[-1][1].append(line)
    return commands, blocks[1].strip().splitlines()


def shape(lines: list[str]) -> re.Pattern:
    """The documented output as a pattern: `…` stands for anything, and every number and 12-hex
    hash for whichever this run made."""
    pieces = re.split(r"(…|[0-9a-f]{12}|\d+)", "\n".join(lines).strip())
    wild = {"…": ".*"}
    return re.compile("".join(
        wild.get(p) or ("[0-9a-f]{12}" if re.fullmatch(r"[0-9a-f]{12}", p) else r"\d+" if p.isdigit() else re.escape(p))
        for p in pieces), re.S)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def listening(port: int, receiver) -> bool:
    """Whether the receiver accepts connections yet (it prints nothing until its first delivery)."""
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and receiver.poll() is None:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return True
        except OSError:
            time.sleep(0.05)
    return False


def assert_documented_session_works(live_server, tmp_path):
    """Every command of docs/api.md's session answers as documented, against the demo data in the
    database (made by `manage.py demo_data`; curl is installed by .ci/run like Chromium)."""
    at_three = Dossier.objects.get(state=STEP_BY_NUMBER[3].state)
    closed = Dossier.objects.get(state=SELESAI)
    people = {u.username: u for u in User.objects.filter(username__in=["dinkes", "kasubag"])}
    page = client_for(people, "dinkes").post("/token-api/", {"nama": "e-SAKIP Dinkes", "akses": Access.WRITE, "hari": 30})
    token = page.context["made"]["secret"]
    kasubag_token = tokens.issue(people["kasubag"], "Skrip Biro", Access.WRITE, 30)[1]

    port = free_port()
    hook = Webhook.objects.create(nama="Penerima Biro", url=f"http://127.0.0.1:{port}/", events=[Event.IKU_SENT])
    receiver = subprocess.Popen([sys.executable, str(RECEIVER), "127.0.0.1", str(port), hook.secret],
                                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        assert listening(port, receiver), "the receiver did not start"
        commands, printed = session()
        assignment, _ = commands.pop(0)
        assert assignment.startswith("API=") and "TOKEN=" in assignment
        env = {**os.environ, "API": f"{live_server.url}/api/v1", "TOKEN": token, "KASUBAG_TOKEN": kasubag_token}
        tag = f'"{at_three.pk}-{at_three.revision}-{at_three.state}"'
        for command, documented in commands:
            comment = command.split("#", 1)[1].strip() if "#" in command else ""
            if comment in TABLES:
                (tmp_path / "baris.json").write_text(json.dumps({"baris": TABLES[comment]}))
            command = (command.replace("/dosier/3/", f"/dosier/{at_three.pk}/")
                       .replace("/dosier/12/", f"/dosier/{closed.pk}/").replace('"3-6-langkah_3"', tag))
            ran = subprocess.run(["bash", "-c", command], cwd=tmp_path, env=env, capture_output=True, timeout=60)
            out = ran.stdout.decode().lstrip("\ufeff").replace("\r\n", "\n").strip()
            assert ran.returncode == 0, (command, ran.stderr.decode())
            assert shape(documented).fullmatch(out), (command, documented, out)
    finally:
        receiver.terminate()
        heard = receiver.communicate(timeout=10)[0]
    assert shape(printed).fullmatch(heard.strip()), (printed, heard)
