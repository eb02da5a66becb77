from functools import cache

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.db import connection, connections
from django.shortcuts import redirect, render
from django.utils import timezone

from lib import written_sql
from notices.models import Notice, NoticePreference


def visible_notices(user):
    preference = getattr(user, "notice_preference", None)
    if preference is not None and not preference.in_app:
        return Notice.objects.none()
    return Notice.objects.filter(recipient=user)


def unread_count(user) -> int:
    """Asked on every page: one statement, the preference checked inside the count. Written out
    (lib/written_sql): the ORM took about 1 ms to compose what the database answers in 0.05 ms."""
    with connection.cursor() as cursor:
        cursor.execute(_unread_sql(connection.alias), [user.pk, user.pk])
        return cursor.fetchone()[0]


@cache
def _unread_sql(alias: str) -> str:
    on = connections[alias]
    notice, preference = written_sql.table(on, Notice), written_sql.table(on, NoticePreference)
    recipient, read_at = written_sql.column(on, Notice, "recipient"), written_sql.column(on, Notice, "read_at")
    user, in_app = written_sql.column(on, NoticePreference, "user"), written_sql.column(on, NoticePreference, "in_app")
    return (f"SELECT count(*) FROM {notice} WHERE {recipient} = %s AND {read_at} IS NULL AND NOT EXISTS "
            f"(SELECT 1 FROM {preference} WHERE {user} = %s AND NOT {in_app})")


def notice_list(request):
    notices = visible_notices(request.user).select_related("dossier")
    page = Paginator(notices, 25).get_page(request.GET.get("hal"))
    if request.method == "POST":
        visible_notices(request.user).filter(read_at__isnull=True).update(read_at=timezone.now())
        messages.success(request, "Semua pemberitahuan ditandai sudah dibaca.")
        return redirect("notices")
    preference = getattr(request.user, "notice_preference", None)
    switched_off = preference is not None and not preference.in_app
    return render(request, "notices/list.html", {"page": page, "nav": "notices", "switched_off": switched_off})


class PreferenceForm(forms.ModelForm):
    class Meta:
        model = NoticePreference
        fields = ["by_email", "in_app"]


def preferences(request):
    preference, _ = NoticePreference.objects.get_or_create(user=request.user)
    form = PreferenceForm(request.POST or None, instance=preference)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Pilihan pemberitahuan disimpan.")
        return redirect("notice_preferences")
    return render(request, "notices/preferences.html", {"form": form, "nav": "notices"})
