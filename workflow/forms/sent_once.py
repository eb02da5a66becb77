"""A form sent twice writes once.

Each of the site's forms that makes something carries a hidden one-time key (`{% sent_once_field %}`,
workflow/templatetags/sent_once.py). Its view, decorated with `sent_once`, has the key recorded in the
same transaction as what the form made and its audit event (`workflow.models.sent_form`). The same
form sent again by its sender (Kirim again after an error page, the browser sending the page again
after the primary failed over mid-commit) writes nothing and is answered as the first sending was:
sent to the same page, told it was already recorded. A key another user recorded is refused, saying
nothing of what it made. A post without a key (a page opened before an upgrade, a program) is taken
as before; so is a key that is not one of ours (too long, other characters): it cannot be recorded.
"""

import re
import secrets
from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError
from django.http import HttpResponseRedirect

from workflow.models.sent_form import ANSWER_MAX_LENGTH, KEY_MAX_LENGTH, Pending, SentForm, pending

FIELD = "kunci_kirim"
KEY_SHAPE = re.compile(rf"[A-Za-z0-9_-]{{16,{KEY_MAX_LENGTH}}}")
ANOTHER_USERS = "Formulir ini sudah dikirim oleh pengguna lain; isian Anda tidak dicatat. Buka lagi formulirnya."
ALREADY = "{what} sudah tercatat sebelumnya; tidak dicatat dua kali."


def new_key() -> str:
    return secrets.token_urlsafe(24)


def posted_key(request) -> str | None:
    """The posted form's key, or None: none posted, or not one this site makes."""
    if request.method != "POST":
        return None
    value = request.POST.get(FIELD, "")
    return value if KEY_SHAPE.fullmatch(value) else None


def earlier_answer(request, key: str, what: str):
    """The answer to a form whose `key` was recorded before (None if it was not): its sender is sent
    where the first sending went, anyone else refused."""
    found = SentForm.objects.filter(key=key).values_list("user_id", "answer").first()
    if found is None:
        return None
    user_id, answer = found
    if user_id != request.user.pk:
        raise PermissionDenied(ANOTHER_USERS)
    messages.success(request, ALREADY.format(what=what))
    return HttpResponseRedirect(answer)


def run_keyed(key: str, user_id: int, run, earlier, request_digest: str = ""):
    """(the pending key, `run()`) with `key` pending for `user_id`, so the write's audit event
    records it (with `request_digest`, what was asked). The same key sent at once and committed
    first (the unique key failed this one's whole transaction) answers `earlier()` instead."""
    this = Pending(key, user_id, request_digest=request_digest)
    token = pending.set(this)
    try:
        return this, run()
    except IntegrityError:
        answer = earlier()
        if answer is None:
            raise
        return this, answer
    finally:
        pending.reset(token)


def sent_once(what="Isian ini"):
    """Decorate a view that writes through a form carrying `{% sent_once_field %}`. `what` names
    the thing made, for the retry's message ("Disposisi ini"); a callable gets the view's kwargs."""

    def decorate(view):
        @wraps(view)
        def once(request, *args, **kwargs):
            key = posted_key(request)
            if key is None or not request.user.is_authenticated:
                return view(request, *args, **kwargs)
            named = what(**kwargs) if callable(what) else what
            answer = earlier_answer(request, key, named)
            if answer is not None:
                return answer
            this, response = run_keyed(key, request.user.pk, lambda: view(request, *args, **kwargs),
                                       lambda: earlier_answer(request, key, named))
            went = response.get("Location") if response.status_code in (301, 302, 303) else None
            if this.recorded is not None and went and went != this.recorded.answer:
                SentForm.objects.filter(pk=this.recorded.pk).update(answer=went[:ANSWER_MAX_LENGTH])
            return response

        return once

    return decorate
