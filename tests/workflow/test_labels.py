"""The words on the buttons: a page opened by a link's words offers a button with the same words; no
drop-down starts with dashes, no label says "(opsional)" twice. Generated over every step and the
people who act there."""

import html
import re

import pytest

from tests.factories import client_for
from workflow.steps import DI_GUBERNUR, STEPS

ACTION_LINK = re.compile(r'<a class="button[^"]*" href="(/dosier/\d+/aksi/[a-z_]+/)">([^<]+)</a>')
SUBMIT = re.compile(r'<button type="submit" class="(?:primary|danger)">([^<]+)</button>')
HEADING = re.compile(r"<h1>([^<]+)</h1>")


def looks_tidy(page: str, url: str):
    assert "---------" not in page, url
    assert "(opsional) <span" not in page and "(opsional)</span> <span" not in page, url


@pytest.mark.parametrize("state", [s.state for s in STEPS] + [DI_GUBERNUR])
def test_each_action_page_says_on_its_button_what_its_link_said(people, walk, state):
    dossier = walk(state)
    seen = 0
    for username in ("kasubag", "staf", "kabag", "kabiro", "tim"):
        client = client_for(people, username)
        for url, words in ACTION_LINK.findall(client.get(f"/dosier/{dossier.pk}/").content.decode()):
            page = client.get(url).content.decode()
            # One form: its button; a page of many forms (the provincial table): its title.
            said = SUBMIT.findall(page) if "aksi/atur_tabel_iku/" not in url else HEADING.findall(page)
            assert html.unescape(words.strip()) in [html.unescape(b.strip()) for b in said], (username, url, said)
            looks_tidy(page, url)
            seen += 1
    assert seen, f"nobody acts at {state}?"


def test_the_delegation_and_new_dossier_pages_are_tidy(people):
    for url in ("/pelimpahan/", "/dosier/baru/", "/arsip/"):
        looks_tidy(client_for(people, "kasubag").get(url).content.decode(), url)
