"""What happened to a dossier, as the webhook events it is: read from each recorded transition
(inside its transaction, so a rolled-back action announces nothing), queued for every active hook
that asked for it once the transaction commits."""

import json

from django.db import transaction
from django.urls import reverse

from lib.site import site_url
from naskah.models import NaskahRecord
from webhooks.models import Delivery, Event, Webhook
from workflow.actions import Action
from workflow.steps import SELESAI, STATE_LABELS, STEP_BY_STATE


def events_of(event) -> list[str]:
    found = []
    if event.from_state != event.to_state:
        found.append(Event.DOSSIER_MOVED)
    if event.action == Action.AJUKAN_IKU:
        found.append(Event.IKU_SENT)
    step = STEP_BY_STATE.get(event.from_state)
    if event.action == Action.SELESAIKAN and step is not None and step.signs:
        found.append(Event.DOCUMENT_SIGNED)
    if event.to_state == SELESAI and event.action == Action.CATAT_PENETAPAN:
        found.append(Event.ROUND_CLOSED)
    return found


def payload(name: str, dossier, event, user) -> dict:
    site = site_url()
    body = {
        "peristiwa": name,
        "waktu": event.at.isoformat(),
        "dosier": {"id": dossier.pk, "tahun": dossier.tahun, "judul": dossier.judul, "posisi": dossier.state,
                   "posisi_label": STATE_LABELS[dossier.state], "revisi": dossier.revision,
                   "api": site + reverse("api_dossier", args=[dossier.pk])},
        "tindakan": event.action, "dari": event.from_state, "ke": event.to_state,
    }
    if name == Event.IKU_SENT:
        body["skpd"] = user.skpd.nama_pendek if user.skpd_id else None
    if name == Event.DOCUMENT_SIGNED:
        signed = NaskahRecord.objects.filter(document__dossier=dossier, signed_at=event.at).select_related("document")
        body["naskah"] = [{"jenis": r.document.kind, "nomor": r.nomor, "sha256": r.final_sha256,
                           "verifikasi": site + reverse("verifikasi", args=[r.final_token])} for r in signed]
    if name == Event.ROUND_CLOSED:
        body["keputusan"] = {"nomor": dossier.nomor_kepgub, "tanggal": dossier.tanggal_kepgub.isoformat()}
    return body


def on_transition(sender, dossier, event, user, **kwargs):
    names = events_of(event)
    if not names:
        return
    hooks = [h for h in Webhook.objects.filter(aktif=True) if set(names) & set(h.events)]
    made = [
        Delivery.objects.create(webhook=hook, event=name,
                                body=json.dumps(payload(name, dossier, event, user), ensure_ascii=False, default=str))
        for hook in hooks for name in names if name in hook.events
    ]
    if made:
        from webhooks.tasks import deliver

        transaction.on_commit(lambda: [deliver.enqueue(d.pk) for d in made])
