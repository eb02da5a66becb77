"""The step data against the SOP itself (docs/sop-400-10-kesra-tu.txt, the text of the one-page SOP)."""

import re
from pathlib import Path

from workflow.roles import Role
from workflow.steps import STEPS, next_state

SEED = Path(__file__).resolve().parents[2] / "docs" / "sop-400-10-kesra-tu.txt"


def seed_rows():
    rows = {}
    for line in SEED.read_text(encoding="utf-8").splitlines():
        match = re.match(r"^(\d)\t(.*)", line)
        if match:
            rows[int(match.group(1))] = match.group(2)
    return rows


def test_the_steps_keep_the_seeds_numbers_and_times():
    rows = seed_rows()
    assert sorted(rows) == [s.number for s in STEPS] == list(range(1, 10))
    for step in STEPS:
        amount, unit = re.search(r"\t(\d+) (hari|jam|menit)\t", rows[step.number]).groups()
        assert (step.waktu.amount, step.waktu.unit) == (int(amount), unit), step.number


def test_every_step_has_someone_to_finish_it_and_a_next_position():
    states = [s.state for s in STEPS]
    assert len(set(states)) == 9
    for step in STEPS:
        assert step.actors and set(step.actors) <= set(Role)
        assert next_state(step.state) not in states[: step.number]


def test_only_step_seven_decides_and_returns_to_six():
    assert [(s.number, s.returns_to) for s in STEPS if s.returns_to] == [(7, 6)]


def test_the_waktu_reads_as_the_sop_writes_it():
    assert [str(s.waktu) for s in STEPS] == [
        "2 hari", "1 hari", "2 hari", "2 hari", "1 hari", "1 jam", "2 jam", "30 menit", "15 menit",
    ]
