"""A dossier's position badge and its step's clock, as tags: shown on every row of the lists, where
an {% include %} per row cost more than the rest of the row (bench/load_bench.py's floors)."""

from django import template
from django.utils.html import format_html

register = template.Library()

_STATE_CLASS = {"selesai": " ok", "dibatalkan": " late"}


@register.simple_tag
def state_badge(dossier):
    return format_html('<span class="badge{}">{}</span>', _STATE_CLASS.get(dossier.state, ""), dossier.state_label)


@register.simple_tag
def step_clock(clock):
    if not clock:
        return format_html('<span class="muted small">{}</span>', "Tidak diukur")
    round_no = format_html(" · putaran ke-{}", clock.attempt) if clock.attempt > 1 else ""
    return format_html(
        '<span class="badge {}">{}</span>\n<div class="small">Batas: {}</div>\n'
        '<div class="small muted">Terpakai {} dari {} waktu kerja{}</div>',
        clock.status, clock.status_label, clock.due_label, clock.used_label, clock.allowed_label, round_no,
    )
