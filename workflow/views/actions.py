"""Every action on a dossier: GET shows its form and what it will do, POST takes it.

What each action asks and says comes from `workflow.actions`; this view branches on none of them.
The form carries the revision the user saw: if the dossier moved on meanwhile, the action is
refused with the news and the form keeps what was typed.
"""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.module_loading import import_string
from django.views.decorators.debug import sensitive_post_parameters

from workflow import gates, policy, services
from workflow.actions import ACTIONS
from workflow.forms.sent_once import sent_once
from workflow.inbox import capacity_text
from workflow.views import stand_in, timeline
from workflow.views.access import closed, keep_typed_with_news, require_action, visible_dossier, write_through_form


def action_form(action: str, dossier, user, data=None, files=None, request=None):
    return import_string(ACTIONS[action].form)(data, files, dossier=dossier, user=user, request=request)


# An error report never carries a signer's password, BSrE passphrase or NIK.
@sensitive_post_parameters("kata_sandi", "passphrase", "nik")
@sent_once(lambda action, **_: ACTIONS[action].sent if action in ACTIONS else "Isian ini")
def take_action(request, pk, action):
    spec = ACTIONS.get(action)
    if spec is None:
        raise Http404("Tindakan tidak dikenal.")
    user = request.user
    dossier = visible_dossier(user, pk)
    posted = request.method == "POST"
    # A form made before the dossier moved on gets the news, whatever the new step would say of it;
    # the policy is asked first in either case.
    stale = require_action(request, action, dossier, additive=spec.additive)
    form = action_form(action, dossier, user, request.POST if posted else None, request.FILES if posted else None,
                       request=request)
    if stale:
        # A Plh. whose delegation ended meanwhile reads what became of it (`stale` says it); the rest what
        # changed: a new version of the step's document, or where the dossier went.
        keep_typed_with_news(form, dossier, may_now=policy.can(user, action, dossier), news=stale, request=request,
                             action=action)
    elif posted and form.is_valid():
        event = write_through_form(
            request, dossier, form, additive=spec.additive,
            write=lambda revision: services.perform(dossier, user, action, revision=revision, **form.transition_kwargs()),
        )
        if event is not None:
            messages.success(request, spec.success.format(event=event))
            if spec.stays:
                return redirect(reverse("dossier_action", args=(dossier.pk, action)) + form.anchor())
            return redirect("dossier", pk=dossier.pk)
    label = dossier.action_labels().get(action, spec.label)
    acting = policy.acting_as(user, action, dossier)
    if acting is not None and acting.delegation is not None:
        # Whoever signs or initials as Plh./Plt. reads so where they act, as their inbox says it.
        label = f"{label} {capacity_text(acting)}"
    return render(
        request,
        spec.page,
        {
            "dossier": dossier,
            "spec": spec,
            "label": label,
            "step": dossier.step,
            "form": form,
            "formset": getattr(form, "formset", None),
            "missing": gates.missing_items(dossier) if spec.gated or spec.lists_missing else [],
            # Who reviews a corrected draft reads it as such, with the return's and the fix's notes.
            "corrected": timeline.corrected_draft(dossier, timeline.moves_of(dossier)) if spec.reviews else None,
            "multipart": form.is_multipart(),
            "closed": closed(form),
            # The delegation the form is opened under, told back should it end before the form is sent.
            "stand_in": stand_in.carried(request, closed(form), acting),
        },
    )
