"""deploy/failover watch: a standby away for STANDBY_GRACE seconds no longer holds every commit on
the primary (with synchronous_standby_names='*' a save waited for it until gunicorn killed the
request at 60 s, the row committed all the same), and synchronous commit comes back once it
streams. Driven here against a stand-in psql that keeps the cluster's answers in files."""

import os
import subprocess
from pathlib import Path

import pytest

FAILOVER = Path(__file__).resolve().parents[2] / "deploy" / "failover"

PSQL = r"""#!/bin/sh
while [ $# -gt 0 ]; do [ "$1" = -c ] && { query=$2; break; }; shift; done
cd "$FAKE_CLUSTER"
case "$query" in
  *pg_is_in_recovery*) cat recovery ;;
  "SHOW synchronous_standby_names") cat names ;;
  *"state = 'streaming'"* | *"sync_state = 'sync'"*) cat streaming ;;
  "ALTER SYSTEM SET synchronous_standby_names = "*)
    echo "$query" | sed "s/.*= '\(.*\)'/\1/" > names; echo "$query" >> altered ;;
  *pg_reload_conf*) echo t ;;
  *) echo "unexpected: $query" >&2; exit 3 ;;
esac
"""


@pytest.fixture
def cluster(tmp_path):
    tools, state = tmp_path / "bin", tmp_path / "cluster"
    tools.mkdir()
    state.mkdir()
    (tools / "psql").write_text(PSQL)
    (tools / "runuser").write_text('#!/bin/sh\nwhile [ "$1" != -- ]; do shift; done\nshift\nexec "$@"\n')
    for tool in ("psql", "runuser"):
        (tools / tool).chmod(0o755)
    for name, value in (("recovery", "f"), ("names", "*"), ("streaming", "t")):
        (state / name).write_text(value + "\n")

    def run(*args, grace="0", **files):
        for name, value in files.items():
            (state / name).write_text(value + "\n")
        env = {"PATH": f"{tools}:{os.environ['PATH']}", "PG_BIN": str(tools), "FAKE_CLUSTER": str(state),
               "STATE_DIR": str(tmp_path / "watch"), "STANDBY_GRACE": grace, "WATCH_ONCE": "1", "WAIT": "1",
               "PG_CTL": "true"}
        done = subprocess.run(["bash", str(FAILOVER), *args], env=env, capture_output=True, text=True, timeout=30)
        assert done.returncode == 0, done.stderr
        return (state / "names").read_text().strip(), done.stderr

    return run


def test_a_standby_away_past_the_grace_no_longer_holds_commits_and_is_waited_for_again_once_back(cluster):
    assert cluster("watch") == ("*", "")  # streaming: nothing to do
    names, said = cluster("watch", streaming="f")
    assert names == "" and "synchronous commit OFF" in said
    assert cluster("watch")[0] == ""  # still away: stays off
    names, said = cluster("watch", streaming="t")
    assert names == "*" and "synchronous commit on" in said


def test_within_the_grace_commits_still_wait(cluster):
    names, said = cluster("watch", grace="30", streaming="f")
    assert names == "*" and "goes off after 30 s" in said


def test_an_operator_s_choice_stands(cluster):
    # Strict: writes wait for the standby however long it is away.
    cluster("synchronous", "strict")
    assert cluster("watch", streaming="f")[0] == "*"
    # Off by hand (no standby meant to exist): not turned on by a standby appearing.
    cluster("synchronous", "off")
    assert cluster("watch", streaming="t")[0] == ""


def test_after_a_promotion_synchronous_commit_returns_by_itself_once_the_rebuilt_standby_streams(cluster):
    assert cluster("promote", streaming="f")[0] == ""
    assert cluster("watch", streaming="t")[0] == "*"


def test_a_standby_does_nothing(cluster):
    assert cluster("watch", recovery="t", streaming="f")[0] == "*"
