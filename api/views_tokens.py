"""A user's own API tokens: make one (shown once, on the page that made it), see when each was last
used, revoke it."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from api import tokens
from api.forms import TokenForm


def token_page(request):
    form = TokenForm(request.POST or None)
    made = None
    if request.method == "POST" and form.is_valid():
        row, secret = tokens.issue(request.user, form.cleaned_data["nama"], form.cleaned_data["akses"],
                                   form.cleaned_data["hari"])
        made = {"row": row, "secret": secret}
        form = TokenForm()
    return render(request, "api/tokens.html", {
        "form": form, "made": made, "tokens": request.user.api_tokens.all(), "nav": "tokens",
    })


@require_POST
def revoke_token(request, pk):
    row = get_object_or_404(request.user.api_tokens, pk=pk)
    tokens.revoke(row)
    messages.success(request, f"Token “{row.nama}” dicabut: program yang memakainya tidak dapat masuk lagi.")
    return redirect("api_tokens")
