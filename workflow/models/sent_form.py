"""A form's one-time key, recorded in the transaction that did what the form asked.

A POST can commit and still reach its sender as an error: the database primary stopped after the
commit, an app server died before the answer left. The sender's retry (Kirim again, or the browser
sending the page again) carries the same key as the first, finds it recorded, and is answered as
the first was, instead of giving a second disposisi or storing a document twice (`workflow.forms.sent_once`).
"""

import contextvars
from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

KEY_MAX_LENGTH = 64
ANSWER_MAX_LENGTH = 500


class SentForm(models.Model):
    key = models.CharField("kunci", max_length=KEY_MAX_LENGTH, unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+",
                             verbose_name="pengirim")
    sent_at = models.DateTimeField("waktu", default=timezone.now, db_index=True)
    # Where its success sent the sender: a retry is sent there too.
    answer = models.CharField("jawaban", max_length=ANSWER_MAX_LENGTH)
    # An API write's request (its address and body, api.idempotency.request_digest): the same key
    # sent with another is not the retry of this one. Empty for the pages' forms and older keys.
    # db_default: the previous release, serving beside this one during an upgrade, keeps its forms'
    # keys without this column.
    request_digest = models.CharField("sidik permintaan", max_length=64, blank=True, default="", db_default="")

    class Meta:
        verbose_name = "formulir terkirim"
        verbose_name_plural = "formulir terkirim"


@dataclass
class Pending:
    key: str
    user_id: int
    recorded: SentForm | None = None
    request_digest: str = ""


# The key of the POST being answered on this thread, set by `workflow.forms.sent_once.sent_once`.
pending: contextvars.ContextVar[Pending | None] = contextvars.ContextVar("sent_form_pending", default=None)


def record_pending(event) -> None:
    """Record the pending key beside the audit `event` about to be written, in its transaction,
    answering with the dossier's page until the view's own answer is known. Every write of the
    site's forms on a dossier appends an audit event, so this is where the key is written; a second
    event of the same request changes nothing. A key already recorded fails the whole transaction
    (unique key): the retry that raced its first sending writes nothing."""
    record_pending_for(reverse("dossier", args=(event.dossier_id,)), at=event.at)


def record_pending_for(answer: str, at=None) -> None:
    """`record_pending` for a write that appends no audit event (a delegation, a queued document),
    called in its transaction; `answer`, where its success sends the sender."""
    current = pending.get()
    if current is None or current.recorded is not None:
        return
    current.recorded = SentForm.objects.create(
        key=current.key, user_id=current.user_id, sent_at=at or timezone.now(), answer=answer[:ANSWER_MAX_LENGTH],
        request_digest=current.request_digest,
    )
