"""A long IKU text in the bureau's tables: its start with a way to read it whole, so a table of
28 real rows is read down its indicators instead of through pages of Penjelasan."""

from django import template
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.text import Truncator

register = template.Library()

# Longer than about three lines of a table column; the start shown is a little shorter, so a
# folded text always hides something worth opening.
FOLDED_PAST = 180
LEAD = 140


def _lines(text: str) -> str:
    return mark_safe("<br>".join(conditional_escape(line) for line in text.splitlines()))  # noqa: S308 - escaped line by line


@register.simple_tag
def long_text(text, whole=False):
    """The text with its line breaks; past FOLDED_PAST characters (unless `whole`) folded in a
    <details> whose summary is its start, which works without a script."""
    text = text or ""
    if whole or len(text) <= FOLDED_PAST:
        return _lines(text)
    return format_html(
        '<details class="long-text"><summary><span class="lead">{}</span> <span class="more">selengkapnya</span>'
        '</summary>{}</details>',
        Truncator(" ".join(text.split())).chars(LEAD), _lines(text),
    )
