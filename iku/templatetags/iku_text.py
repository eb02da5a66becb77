"""A long IKU text in the bureau's tables: its start with a way to read it whole, so a table of
28 real rows is read down its indicators instead of through pages of Penjelasan."""

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe

register = template.Library()

# Longer than about three lines of a table column; the start shown is a little shorter, so a
# folded text always hides something worth opening.
FOLDED_PAST = 180
LEAD = 140


@register.filter
def long_text(text, whole=False):
    """The text with its line breaks; past FOLDED_PAST characters (unless `whole`) folded in a
    <details> whose summary is its start, which works without a script. Plain string work: a
    200-row table calls this 800 times."""
    text = text or ""
    lines = escape(text).replace("\n", "<br>")
    if whole or len(text) <= FOLDED_PAST:
        return mark_safe(lines)  # noqa: S308 - escaped above
    return mark_safe(  # noqa: S308 - every part escaped
        f'<details class="long-text"><summary><span class="lead">{escape(_lead(text))}…</span> '
        f'<span class="more">selengkapnya</span></summary>{lines}</details>'
    )


def _lead(text: str) -> str:
    return " ".join(text[:LEAD + 40].split())[:LEAD].rsplit(" ", 1)[0]


@register.filter
def heading_lead(text):
    """A long text that heads a card (a row's indicator): its start, as `long_text` folds it. A
    1,500-character indicator set whole in a heading filled a phone's screen with bold type before
    anything of the row; `heading_rest` gives the whole text under the heading."""
    text = text or ""
    return text if len(text) <= FOLDED_PAST else f"{_lead(text)}…"


@register.filter
def heading_rest(text, what="Indikator"):
    """Under a heading shortened by `heading_lead`, the whole text behind "selengkapnya" (a <details>,
    which opens without a script); "" when the heading showed it all."""
    text = text or ""
    if len(text) <= FOLDED_PAST:
        return ""
    return mark_safe(  # noqa: S308 - every part escaped
        f'<details class="long-text long-heading"><summary><span class="more">{escape(what)} selengkapnya</span>'
        f'</summary>{escape(text).replace(chr(10), "<br>")}</details>'
    )
