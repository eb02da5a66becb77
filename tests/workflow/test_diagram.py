"""The flow diagram of a dossier: the nine steps from STEPS, where the dossier is, what it has passed,
the return loop of step 7, readable on a phone and by a screen reader."""

import dataclasses
import re
import xml.etree.ElementTree as ET

from workflow.roles import Role
from workflow.steps import DI_GUBERNUR, DIBATALKAN, SELESAI, STATE_LABELS, STEPS, state_of
from workflow.views import diagram
from workflow.views.diagram import dossier_svg

NS = {"svg": "http://www.w3.org/2000/svg"}
AT_SEVEN = state_of(7)
BEFORE_SEVEN = frozenset(state_of(n) for n in range(1, 8))


def parse(state=AT_SEVEN, visited=BEFORE_SEVEN, returns=0):
    return ET.fromstring(str(dossier_svg(state, visited_states=visited, returns=returns)))


def boxes(svg):
    return {g.get("data-state"): g for g in svg.iterfind(".//svg:g[@class='posisi']", NS)}


def words(element) -> str:
    return " ".join(" ".join(element.itertext()).split())


def rect_of(box):
    return box.find("svg:rect", NS)


def test_the_svg_scales_and_fits_a_phone():
    svg = parse()
    assert svg.get("role") == "img"
    x, y, width, height = map(float, svg.get("viewBox").split())
    assert (x, y) == (0, 0) and 360 <= width <= 600 and height > width
    assert all(float(rect_of(box).get("x")) + float(rect_of(box).get("width")) <= width for box in boxes(svg).values())


def test_each_step_has_a_box_with_its_number_summary_actors_and_time():
    found = boxes(parse())
    for step in STEPS:
        text = words(found[step.state])
        assert text.startswith(f"Langkah {step.number}")
        assert step.ringkas in text
        assert "Pelaksana: " + ", ".join(Role(r).label for r in step.actors) in text
        assert f"Waktu: {step.waktu}" in text
    assert len([s for s in found if s.startswith("langkah_")]) == 9


def test_the_end_positions_follow_step_nine():
    found = boxes(parse())
    assert list(found)[-2:] == [DI_GUBERNUR, SELESAI]
    assert words(found[DI_GUBERNUR]) == "Menunggu tanda tangan Gubernur"
    assert words(found[SELESAI]) == STATE_LABELS[SELESAI]


def test_only_the_current_position_is_highlighted():
    found = boxes(parse())
    current = [state for state, box in found.items() if box.get("aria-current") == "step"]
    assert current == [AT_SEVEN]
    assert "posisi sekarang" in words(found[AT_SEVEN])
    assert sum("posisi sekarang" in words(box) for box in found.values()) == 1
    fills = {state: rect_of(box).get("fill") for state, box in found.items()}
    assert list(fills.values()).count(fills[AT_SEVEN]) == 1


def test_positions_already_passed_are_marked_and_those_ahead_are_not():
    found = boxes(parse())
    passed = [s for s, box in found.items() if "\u2713 dilalui" in words(box)]
    assert passed == [state_of(n) for n in range(1, 7)]
    green = {rect_of(found[s]).get("stroke") for s in passed}
    assert len(green) == 1 and green != {rect_of(found[state_of(8)]).get("stroke")}


def test_a_finished_dossier_stands_at_selesai():
    visited = frozenset(s.state for s in STEPS) | {DI_GUBERNUR, SELESAI}
    found = boxes(parse(SELESAI, visited))
    assert found[SELESAI].get("aria-current") == "step"
    assert "\u2713 dilalui" in words(found[DI_GUBERNUR])


def loop_ends(svg):
    path = svg.find(".//svg:g[@class='kembali']/svg:path", NS).get("d")
    # "M x y ... Q cx cy x y_to H x": the y it starts at, and the y of its last horizontal run.
    numbers = [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?", path)]
    return numbers[1], numbers[-2]


def spans(box):
    top = float(rect_of(box).get("y"))
    return top, top + float(rect_of(box).get("height"))


def test_the_return_loop_runs_from_step_seven_back_to_step_six():
    svg = parse()
    found = boxes(svg)
    start, end = loop_ends(svg)
    seven, six = spans(found[state_of(7)]), spans(found[state_of(6)])
    assert seven[0] < start < seven[1]
    assert six[0] < end < six[1]
    assert words(svg.find(".//svg:g[@class='kembali']", NS)) == "dikembalikan"


def test_the_return_loop_counts_the_returns():
    svg = parse(state_of(6), frozenset(state_of(n) for n in range(1, 8)), returns=2)
    assert words(svg.find(".//svg:g[@class='kembali']", NS)) == "dikembalikan (2x)"
    assert svg.find("svg:desc", NS).text.endswith("Dikembalikan dari langkah 7 ke langkah 6 sebanyak 2 kali.")


def test_title_and_description_say_where_the_dossier_stands():
    svg = parse(returns=0)
    assert svg.find("svg:title", NS).text == "Alur SOP 400/10/Kesra-TU: Penetapan Indikator Kinerja Biro"
    assert svg.find("svg:desc", NS).text == (
        "Posisi sekarang: Langkah 7: Kabag meneliti dan memaraf. "
        "Sudah dilalui: langkah 1, langkah 2, langkah 3, langkah 4, langkah 5, langkah 6."
    )


def test_a_cancelled_dossier_shows_a_banner_and_no_current_position():
    svg = parse(DIBATALKAN, frozenset({state_of(1), state_of(2)}))
    assert words(svg.find(".//svg:g[@class='batal']", NS)) == "Dosier dibatalkan"
    assert not [box for box in boxes(svg).values() if box.get("aria-current")]
    assert svg.find("svg:desc", NS).text == "Dosier dibatalkan. Sudah dilalui: langkah 1, langkah 2."


def test_step_texts_are_escaped(monkeypatch):
    odd = dataclasses.replace(STEPS[0], ringkas='Undangan <b>"SKPD"</b> & Tim')
    monkeypatch.setattr(diagram, "STEPS", (odd,) + STEPS[1:])
    svg = parse()
    assert 'Undangan <b>"SKPD"</b> & Tim' in words(boxes(svg)[state_of(1)])
    assert svg.find(".//svg:b", NS) is None


def test_nothing_runs_or_loads_from_elsewhere():
    svg = parse()
    tags = {element.tag.split("}")[-1] for element in svg.iter()}
    assert not tags & {"script", "image", "foreignObject", "a", "style"}
    attributes = {name.lower() for element in svg.iter() for name in element.attrib}
    assert not [name for name in attributes if name.startswith("on") or name.endswith("href")]
