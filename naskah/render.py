"""HTML templates to PDF bytes with WeasyPrint, with nothing fetched from anywhere.

The print stylesheet is read from disk; fonts are those fontconfig finds on the server (Arial's
metric twin Liberation Sans, or DejaVu Sans), so a document looks the same offline.
"""

from django.conf import settings
from django.template.loader import render_to_string

PDF_CONTENT_TYPE = "application/pdf"
PRINT_CSS = settings.BASE_DIR / "static" / "css" / "print.css"
# Paper other than print.css's A4, chosen in the admin's office profile; the Lampiran stays landscape.
PAPER = {"F4": "@page { size: 215mm 330mm; } @page landscape { size: 330mm 215mm; }"}


def _refuse(url, *args, **kwargs):
    # A template that names an image or font by URL would make the server fetch it at print time.
    raise ValueError(f"Naskah tidak boleh memuat sumber luar: {url}")


def render_pdf(template: str, context: dict) -> bytes:
    import weasyprint  # imported here: loading it costs ~0.3 s, which pages without PDFs need not pay

    html = render_to_string(template, context)
    stylesheets = [weasyprint.CSS(string=PRINT_CSS.read_text(encoding="utf-8"))]
    kop = context.get("kop")
    if kop is not None and kop.kertas in PAPER:
        stylesheets.append(weasyprint.CSS(string=PAPER[kop.kertas]))
    return weasyprint.HTML(string=html, url_fetcher=_refuse).write_pdf(stylesheets=stylesheets)
