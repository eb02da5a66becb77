"""What a request prints: a document's PDF or its page images as they stand. From storage, made now
when quick, or, for a long one not rendered yet (Generator.background), asked of the worker
(naskah.jobs) and None until the worker has it; the page then shows how far it has come.

The request's side of rendering: views and template tags come here; this asks naskah.jobs, whose
worker (naskah.tasks) makes documents (naskah.generate), prints (naskah.drafts) and page images
(naskah.pages) with naskah.render. None of those look back up this line.
"""

from naskah import drafts, jobs, pages, record
from naskah.generators import GENERATORS


def _ask_worker_if_missing(konsep, dossier, user) -> None:
    # Where tasks run at once (no worker: SOP_TASKS_IMMEDIATE) the print is stored when this returns.
    if konsep is not None and GENERATORS[konsep.kind].background and drafts.stored(konsep) is None:
        jobs.ask_print(dossier, konsep, user)


def reprint(dossier, kind, user) -> tuple[bytes | None, str, object]:
    """The latest document of `kind` made here: once signed, the bytes frozen at signing; before,
    its print as it stands with the paraf it has now, marked KONSEP (naskah.drafts). If none was
    made here (the officer uploaded one), the default wording with the number left blank: the
    uploaded file carries the real one. The bytes are None while the worker renders a long print;
    the third value is then what it renders (drafts.Konsep)."""
    made = record.latest(dossier, kind)
    if made is not None and made.is_final:
        return record.served_bytes(made), made.final_name, None
    konsep = drafts.of_record(made, dossier, user) if made is not None else drafts.default(dossier, kind, user)
    _ask_worker_if_missing(konsep, dossier, user)
    return drafts.pdf(konsep), konsep.name, konsep


def page_count(found: pages.Current, dossier, user) -> int | None:
    """How many pages `found` has; None while the worker is still rendering it."""
    _ask_worker_if_missing(found.konsep, dossier, user)
    return pages.page_count(found)


def page_png(found: pages.Current, dossier, user, number: int) -> bytes | None:
    """Page `number` (from 1) as PNG; None past the last page, for an unreadable file, or while it is
    being prepared."""
    if not pages.page_stored(found, number):
        _ask_worker_if_missing(found.konsep, dossier, user)
    return pages.page_png(found, number)
