"""Every action on a dossier: GET shows its form and what it will do, POST takes it.

The form carries the revision the user saw: if the dossier moved on meanwhile, the action is
refused with the news and the form keeps what was typed.
"""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render

from workflow import forms as action_forms
from workflow import gates, policy, services
from workflow.iku_forms import IkuFormSet, SubmissionNoteForm
from workflow.models import IkuRow, IkuSubmission
from workflow.policy import Action
from workflow.steps import DocKind
from workflow.uploads import DocumentUploadForm
from workflow.views.access import require, revision_seen, visible_dossier

# Actions that add to the current step without moving it.
ADDITIVE = {Action.UNGGAH, Action.CATAT_RAPAT, Action.AJUKAN_IKU}
# Actions that cannot be undone get a warning on their page.
IRREVERSIBLE = {Action.SELESAIKAN, Action.KEMBALIKAN, Action.CATAT_PENETAPAN, Action.BATALKAN}


class ActionPage:
    """The form(s) of one action, bound to the request, and the keyword arguments they give."""

    def __init__(self, action, dossier, user, data=None, files=None):
        self.action, self.dossier, self.user = action, dossier, user
        self.extra = None
        step = dossier.step
        if action == Action.SELESAIKAN:
            missing = gates.missing_submissions(dossier, step) if step.iku_stage else []
            self.form = action_forms.FinishForm(data, missing=missing)
        elif action == Action.KEMBALIKAN:
            self.form = action_forms.NoteForm(data)
        elif action == Action.BATALKAN:
            self.form = action_forms.CancelForm(data)
        elif action == Action.CATAT_PENETAPAN:
            self.form = action_forms.DecreeForm(data)
        elif action == Action.CATAT_RAPAT:
            self.form = action_forms.MeetingForm(data)
        elif action == Action.UNGGAH:
            kinds = list(dict.fromkeys(step.requires + step.produces + (DocKind.LAINNYA,)))
            self.form = DocumentUploadForm(data, files, kinds=kinds)
        elif action == Action.AJUKAN_IKU:
            self.submission = IkuSubmission.objects.filter(
                dossier=dossier, skpd_id=user.skpd_id, stage=step.iku_stage
            ).first() or IkuSubmission()
            rows = self.submission.rows.all() if self.submission.pk else IkuRow.objects.none()
            self.form = SubmissionNoteForm(data, initial={"catatan": self.submission.catatan})
            self.extra = IkuFormSet(data, queryset=rows, prefix="iku")
        else:
            raise Http404

    def is_valid(self):
        valid = self.form.is_valid()
        return (self.extra.is_valid() if self.extra is not None else True) and valid

    def kwargs(self):
        data = self.form.cleaned_data
        if self.action == Action.SELESAIKAN:
            return {"skpd_belum_mengirim": data.get("skpd_belum_mengirim", []), "catatan": data["catatan"]}
        if self.action == Action.CATAT_RAPAT:
            return self.form.transition_kwargs()
        if self.action == Action.UNGGAH:
            return {"document": self.form.build_document()}
        if self.action == Action.AJUKAN_IKU:
            return {"catatan": data["catatan"], "rows": self.extra.unsaved_rows()}
        return dict(data)


def _success_message(event, dossier) -> str:
    if event.action == Action.KEMBALIKAN:
        return f"Draft dikembalikan ke Kasubag dengan catatan: {event.note}"
    if event.action == Action.SELESAIKAN:
        return f"{event.from_label} selesai. Dosier kini di {event.to_label}."
    if event.action == Action.BATALKAN:
        return f"Dosier dibatalkan: {event.note}"
    if event.action == Action.CATAT_PENETAPAN:
        return f"Penetapan dicatat: {event.note}. Dosier selesai."
    return f"{event.action_label} berhasil: {event.note}"


def take_action(request, pk, action):
    if action not in policy.TRANSITION_ACTIONS:
        raise Http404("Tindakan tidak dikenal.")
    user = request.user
    dossier = visible_dossier(user, pk)
    require(user, action, dossier)
    posted = request.method == "POST"
    page = ActionPage(action, dossier, user, request.POST if posted else None, request.FILES if posted else None)
    if posted and page.is_valid():
        try:
            revision = revision_seen(request, dossier, additive=action in ADDITIVE)
            if revision is None:
                raise services.StaleDossier(dossier)
            event = services.perform(dossier, user, action, revision=revision, **page.kwargs())
        except gates.GateError as error:
            for text in error.messages:
                page.form.add_error(None, text)
        except services.StaleDossier as error:
            page.form.add_error(None, str(error))
            dossier.refresh_from_db()
        else:
            messages.success(request, _success_message(event, dossier))
            return redirect("dossier", pk=dossier.pk)
    return render(
        request,
        "workflow/action.html",
        {
            "dossier": dossier,
            "action": action,
            "action_label": policy.ACTION_LABELS[action],
            "step": dossier.step,
            "form": page.form,
            "formset": page.extra,
            "irreversible": action in IRREVERSIBLE,
            "missing": gates.missing_items(dossier) if action == Action.SELESAIKAN else [],
            "multipart": action == Action.UNGGAH,
            "nav": "archive",
        },
    )
