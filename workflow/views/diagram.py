"""Where a dossier stands, drawn as the SOP's flow: one SVG, built from STEPS.

A single column reads top to bottom on a 375 px phone without zooming; the viewBox lets it scale.
Colours go in presentation attributes, not a <style> element, because inline SVG styles would leak
into the rest of the page. All text passes through escape(): step texts are data an admin may edit.
"""

import functools
import textwrap

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from workflow.roles import Role
from workflow.steps import DI_GUBERNUR, DIBATALKAN, SELESAI, SOP, STATE_LABELS, STEP_BY_NUMBER, STEPS

WIDTH = 360
BOX_X = 12
BOX_W = 282
CENTER_X = BOX_X + BOX_W // 2
PAD = 12
GAP = 34
LOOP_X = 334
WRAP = 34
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif"

INK, MUTED, ARROW, RETURN = "#1e293b", "#475569", "#475569", "#c2410c"
# (fill, stroke, stroke width, status text colour) for a box that is ahead, already passed, or where
# the dossier is now.
AHEAD = ("#ffffff", "#94a3b8", 1.5, MUTED)
PASSED = ("#f0fdf4", "#15803d", 2, "#166534")
CURRENT = ("#fef3c7", "#b45309", 3, "#92400e")

NOW = "posisi sekarang"
DONE = "\u2713 dilalui"
CANCELLED = "Dosier dibatalkan"
END_STATES = (DI_GUBERNUR, SELESAI)


def _text(x, y, content, size=12, weight="normal", fill=INK, anchor="start", italic=False):
    style = ' font-style="italic"' if italic else ""
    return (
        f'<text x="{x}" y="{y}" font-size="{size}" font-weight="{weight}" fill="{fill}" '
        f'text-anchor="{anchor}"{style}>{escape(content)}</text>'
    )


def _status(state, current, visited):
    if state == current:
        return NOW, CURRENT
    if state in visited:
        return DONE, PASSED
    return "", AHEAD


def _box(top, height, state, current, visited, body, rx=6):
    """A box for one position; `body(top, status, ink)` gives its text elements."""
    status, (fill, stroke, width, ink) = _status(state, current, visited)
    aria = ' aria-current="step"' if state == current else ""
    return (
        f'<g class="posisi" data-state="{escape(state)}"{aria}>'
        f'<rect x="{BOX_X}" y="{top}" width="{BOX_W}" height="{height}" rx="{rx}" '
        f'fill="{fill}" stroke="{stroke}" stroke-width="{width}"/>'
        + "".join(body(top, status, ink))
        + "</g>"
    )


def _step_box(step, top, current, visited):
    lines = textwrap.wrap(step.ringkas, WRAP) or [""]
    height = 22 + 18 * len(lines) + 16 * 2 + 10
    actors = ", ".join(Role(r).label for r in step.actors)

    def body(top, status, ink):
        yield _text(BOX_X + PAD, top + 22, f"Langkah {step.number}", size=14, weight="bold")
        if status:
            yield _text(BOX_X + BOX_W - PAD, top + 22, status, weight="bold", fill=ink, anchor="end")
        y = top + 22
        for line in lines:
            y += 18
            yield _text(BOX_X + PAD, y, line, size=13)
        yield _text(BOX_X + PAD, y + 18, f"Pelaksana: {actors}", fill=MUTED)
        yield _text(BOX_X + PAD, y + 34, f"Waktu: {step.waktu}", fill=MUTED)

    return _box(top, height, step.state, current, visited, body), height


def _end_box(state, top, current, visited):
    height = 52

    def body(top, status, ink):
        yield _text(CENTER_X, top + (22 if status else 31), STATE_LABELS[state], size=13, weight="bold", anchor="middle")
        if status:
            yield _text(CENTER_X, top + 40, status, weight="bold", fill=ink, anchor="middle")

    return _box(top, height, state, current, visited, body, rx=height // 2), height


def _arrow(y_from, y_to):
    return (
        f'<line x1="{CENTER_X}" y1="{y_from}" x2="{CENTER_X}" y2="{y_to - 2}" stroke="{ARROW}" '
        'stroke-width="1.5" marker-end="url(#sop-panah)"/>'
    )


def _return_loop(from_box, to_box, offset, returns):
    """From the right side of the deciding step back up to the step it returns to, labelled in the
    gap above the deciding step, where no other text is."""
    (from_top, from_h), (to_top, to_h) = from_box, to_box
    x, right = LOOP_X + offset, BOX_X + BOX_W
    y_from, y_to = from_top + from_h // 2, to_top + to_h // 2
    label = f"dikembalikan ({returns}x)" if returns else "dikembalikan"
    return (
        '<g class="kembali">'
        f'<path d="M{right} {y_from} H{x - 8} Q{x} {y_from} {x} {y_from - 8} V{y_to + 8} '
        f'Q{x} {y_to} {x - 8} {y_to} H{right + 2}" fill="none" stroke="{RETURN}" stroke-width="2" '
        'stroke-dasharray="6 3" marker-end="url(#sop-panah-kembali)"/>'
        + _text(x - 6, from_top - GAP // 2 + 4, label, weight="bold", fill=RETURN, anchor="end", italic=True)
        + "</g>"
    )


def _marker(marker_id, colour):
    return (
        f'<marker id="{marker_id}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" '
        f'orient="auto-start-reverse"><path d="M0 0 L10 5 L0 10 z" fill="{colour}"/></marker>'
    )


def describe(state, visited_states=frozenset(), returns=0) -> str:
    """The diagram in words, for screen readers and for anyone the picture does not reach."""
    if state == DIBATALKAN:
        parts = [f"{CANCELLED}."]
    else:
        parts = [f"Posisi sekarang: {STATE_LABELS.get(state, state)}."]
    passed = [f"langkah {s.number}" for s in STEPS if s.state in visited_states and s.state != state]
    passed += [STATE_LABELS[s] for s in END_STATES if s in visited_states and s != state]
    if passed:
        parts.append("Sudah dilalui: " + ", ".join(passed) + ".")
    for step in STEPS:
        if step.returns_to and returns:
            parts.append(f"Dikembalikan dari langkah {step.number} ke langkah {step.returns_to} sebanyak {returns} kali.")
    return " ".join(parts)


def dossier_svg(state: str, visited_states=frozenset(), returns: int = 0) -> SafeString:
    """The nine steps and the two end positions, top to bottom, with the dossier's position marked."""
    return _drawn(STEPS, state, frozenset(visited_states), returns)


# The drawing is a pure function of the step data and these three values, and few of them occur
# (where the dossier stands, which positions it passed, how often step 7 returned): each is drawn
# once per process, not at every view of a dossier. `steps` is the STEPS drawn, in the key so that
# other step data (a test's) is drawn anew rather than found.
@functools.lru_cache(maxsize=512)
def _drawn(steps, state: str, visited: frozenset, returns: int) -> SafeString:
    parts, boxes = [], {}
    top = 12
    if state == DIBATALKAN:
        parts.append(
            f'<g class="batal"><rect x="{BOX_X}" y="{top}" width="{BOX_W}" height="40" rx="6" fill="#fee2e2" '
            f'stroke="#b91c1c" stroke-width="2"/>'
            + _text(CENTER_X, top + 26, CANCELLED, size=15, weight="bold", fill="#7f1d1d", anchor="middle")
            + "</g>"
        )
        top += 40 + 16
    drawn = [(s.state, lambda t, s=s: _step_box(s, t, state, visited)) for s in steps]
    drawn += [(s, lambda t, s=s: _end_box(s, t, state, visited)) for s in END_STATES]
    for index, (box_state, draw) in enumerate(drawn):
        if index:
            parts.append(_arrow(top - GAP, top))
        markup, height = draw(top)
        parts.append(markup)
        boxes[box_state] = (top, height)
        top += height + GAP
    deciding = [s for s in steps if s.returns_to]
    for offset, step in enumerate(deciding):
        to_state = STEP_BY_NUMBER[step.returns_to].state
        parts.append(_return_loop(boxes[step.state], boxes[to_state], 12 * offset, returns))
    height = top - GAP + 12
    title = f"Alur SOP {SOP['nomor']}: {SOP['judul']}"
    return mark_safe(
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" '
        f'height="{height}" role="img" aria-labelledby="sop-alur-judul sop-alur-uraian" font-family="{FONT}">'
        f'<title id="sop-alur-judul">{escape(title)}</title>'
        f'<desc id="sop-alur-uraian">{escape(describe(state, visited, returns))}</desc>'
        f"<defs>{_marker('sop-panah', ARROW)}{_marker('sop-panah-kembali', RETURN)}</defs>"
        + "".join(parts)
        + "</svg>"
    )
