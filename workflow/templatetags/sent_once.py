"""`{% sent_once_field %}`: the one-time key of a form that makes something (workflow.forms.sent_once)."""

from django import template
from django.utils.html import format_html

from workflow.forms.sent_once import FIELD, new_key

register = template.Library()


@register.simple_tag
def sent_once_field():
    # A new key for every page shown: a refused form shown again recorded nothing under its old one.
    return format_html('<input type="hidden" name="{}" value="{}">', FIELD, new_key())
