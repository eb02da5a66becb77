"""HTML templates to PDF bytes with WeasyPrint, with nothing fetched from anywhere.

The print stylesheet is read from disk; fonts are those fontconfig finds on the server (Arial's
metric twin Liberation Sans, or DejaVu Sans), so a document looks the same offline.
"""

import hashlib
import threading
from functools import cache

from django.conf import settings
from django.template.loader import render_to_string

from lib.terbilang import counted as counted_in_words

PDF_CONTENT_TYPE = "application/pdf"
PRINT_CSS = settings.BASE_DIR / "static" / "css" / "print.css"
# Paper other than print.css's A4, chosen in the admin's office profile; the Lampiran stays landscape.
PAPER = {"F4": "@page { size: 215mm 330mm; } @page landscape { size: 330mm 215mm; }"}
# Every print is PDF/A-2b (ISO 19005-2, level B: it looks the same in any reader for as long as the
# record is kept): fonts embedded, an sRGB output intent, XMP identification. WeasyPrint makes it.
PDF_VARIANT = "pdf/a-2b"
# And tagged: the structure a screen reader follows (headings, tables with their header cells,
# lists, the QR's name), from the HTML's own elements. A tenth more time on a 200-row decree,
# and the pages drawn the same (bench/documents_bench.py).
PDF_OPTIONS = {"pdf_variant": PDF_VARIANT, "pdf_tags": True}
# CSS px to PDF points.
PT_PER_PX = 0.75
# The element a letter's Lampiran (the list of addressees) starts with.
LAMPIRAN_ID = "lampiran-tujuan"
# What a long render reports as it goes (naskah.jobs shows it): laying out pages, writing the PDF.
LAYOUT, WRITE = "tata", "tulis"


@cache
def _print_css() -> str:
    # Read once per process: a new stylesheet comes with a deploy, which restarts the workers.
    return PRINT_CSS.read_text(encoding="utf-8")


def _paper(context: dict) -> str:
    kop = context.get("kop")
    return PAPER.get(kop.kertas, "") if kop is not None else ""


def fingerprint(template: str, context: dict) -> str:
    """SHA-256 of everything a print is made from: its HTML, the paper and the print stylesheet.
    Two prints with the same fingerprint are the same document, so one can be served for the other."""
    digest = hashlib.sha256()
    for part in (render_to_string(template, context), _paper(context), _print_css()):
        digest.update(part.encode())
        digest.update(b"\0")
    return digest.hexdigest()


def _inline_only():
    """A fetcher that reads only what the page carries inline (the emblem as a data: URI): a template
    naming an image or font by any other URL stops the print instead of making the server fetch it."""
    import weasyprint

    return weasyprint.urls.URLFetcher(allowed_protocols={"data"}, fail_on_errors=True)


@cache
def _stylesheets(paper: str) -> tuple:
    """The print stylesheet and the paper's, parsed once per process, as WeasyPrint keeps its own
    default sheet: parsing print.css was a tenth of every render. Neither holds a @font-face rule;
    print.css's @counter-style rules (the minutes' "1)" and "a)") are kept in `_counter_styles`."""
    import weasyprint  # imported here: loading it costs ~0.3 s, which pages without PDFs need not pay

    return tuple(weasyprint.CSS(string=text, counter_style=_counter_styles()) for text in (_print_css(), paper)
                 if text)


@cache
def _counter_styles():
    """The counter styles the parsed stylesheets define. A render is handed a copy: WeasyPrint adds
    its own styles to the one it is given, and renders run on several threads at once."""
    from weasyprint.css.counters import CounterStyle

    return CounterStyle()


_fonts = threading.local()


def _font_config():
    """The fonts fontconfig finds, loaded once per thread: WeasyPrint's default, a configuration made
    for each render, loads fontconfig's configuration and opens the fonts again every time. Per
    thread, as a Pango font map is not to be shared between threads; print.css holds no @font-face
    rule, the only thing a render would add to it."""
    config = getattr(_fonts, "config", None)
    if config is None:
        from weasyprint.text.fonts import FontConfiguration

        config = _fonts.config = FontConfiguration()
    return config


def _layout(template: str, context: dict):
    import weasyprint
    from weasyprint.css.counters import CounterStyle

    html = render_to_string(template, context)
    stylesheets = list(_stylesheets(_paper(context)))
    return weasyprint.HTML(string=html, url_fetcher=_inline_only()).render(
        stylesheets=stylesheets, font_config=_font_config(), counter_style=CounterStyle(_counter_styles()))


def _boxes(document, element_id: str):
    """(page number from 0, page, box) of every box of the element with `element_id`."""
    for number, page in enumerate(document.pages):
        for box in page._page_box.descendants():
            if box.element is not None and box.element_tag and box.element.get("id") == element_id:
                yield number, page, box


def _laid_out(template: str, context: dict, on_phase=None):
    """The laid-out document; a letter whose addressees go to a Lampiran says how many sheets it
    really runs to ("2 (dua) lembar"), which needs the pages counted first."""
    if on_phase is not None:
        on_phase(LAYOUT)
    document = _layout(template, context)
    if context.get("terlampir"):
        first = next((number for number, _, _ in _boxes(document, LAMPIRAN_ID)), None)
        if first is not None:
            sheets = len(document.pages) - first
            counted = f"{counted_in_words(sheets)} lembar"
            if counted != context.get("lampiran"):
                document = _layout(template, context | {"lampiran": counted})
    return document


def render_pdf(template: str, context: dict, on_phase=None) -> bytes:
    """The PDF; `on_phase(LAYOUT)` and `on_phase(WRITE)` are called as each part begins."""
    document = _laid_out(template, context, on_phase)
    if on_phase is not None:
        on_phase(WRITE)
    return document.write_pdf(**PDF_OPTIONS)


def render_pdf_with_boxes(template: str, context: dict, element_ids) -> tuple[bytes, dict]:
    """The PDF, and {element id: (page from 0, box)} for each of `element_ids` found: where the
    first element with that id landed, its box in PDF points from the page's lower left corner, as
    a signature field wants it (a document more than one person signs has a box for each)."""
    document = _laid_out(template, context)
    found = {}
    for element_id in element_ids:
        for number, page, box in _boxes(document, element_id):
            left, top = box.border_box_x(), box.border_box_y()
            right, bottom = left + box.border_width(), top + box.border_height()
            found[element_id] = number, tuple(
                round(v * PT_PER_PX) for v in (left, page.height - bottom, right, page.height - top))
            break
    return document.write_pdf(**PDF_OPTIONS), found
