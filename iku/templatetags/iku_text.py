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
    lead = " ".join(text[:LEAD + 40].split())[:LEAD].rsplit(" ", 1)[0]
    return mark_safe(  # noqa: S308 - every part escaped
        f'<details class="long-text"><summary><span class="lead">{escape(lead)}…</span> '
        f'<span class="more">selengkapnya</span></summary>{lines}</details>'
    )
