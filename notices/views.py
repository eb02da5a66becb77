from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Exists
from django.shortcuts import redirect, render
from django.utils import timezone

from notices.models import Notice, NoticePreference


def visible_notices(user):
    preference = getattr(user, "notice_preference", None)
    if preference is not None and not preference.in_app:
        return Notice.objects.none()
    return Notice.objects.filter(recipient=user)


def unread_count(user) -> int:
    # Asked on every page: the preference checked inside the count, not read by a query of its own.
    hidden = Exists(NoticePreference.objects.filter(user=user, in_app=False))
    return Notice.objects.filter(~hidden, recipient=user, read_at__isnull=True).count()


def notice_list(request):
    notices = visible_notices(request.user).select_related("dossier")
    page = Paginator(notices, 25).get_page(request.GET.get("hal"))
    if request.method == "POST":
        visible_notices(request.user).filter(read_at__isnull=True).update(read_at=timezone.now())
        messages.success(request, "Semua pemberitahuan ditandai sudah dibaca.")
        return redirect("notices")
    return render(request, "notices/list.html", {"page": page, "nav": "notices"})


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
