"""A PDF as a screen reader reads it: the structure tree's elements in order, each with its type,
its alternative text and the text its marked content draws (pdfium finds the text of each marked
content id on its page; pypdf walks the tree)."""

import ctypes
import io
from dataclasses import dataclass

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from pypdf import PdfReader
from pypdf.generic import DictionaryObject


@dataclass(frozen=True)
class Element:
    depth: int
    kind: str  # "H1", "Table", "TH", "Figure", ...
    alt: str
    text: str
    children: tuple = ()


def _text_by_content_id(pdf: bytes) -> dict:
    """{(page from 0, marked content id): [text of each text object it marks, a line or a run]}"""
    found = {}
    document = pdfium.PdfDocument(pdf)
    try:
        for number in range(len(document)):
            page = document[number]
            textpage = page.get_textpage()
            for item in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_TEXT]):
                size = pdfium_c.FPDFTextObj_GetText(item.raw, textpage.raw, None, 0)
                buffer = ctypes.create_string_buffer(size)
                pdfium_c.FPDFTextObj_GetText(item.raw, textpage.raw, ctypes.cast(buffer, ctypes.POINTER(ctypes.c_ushort)), size)
                content_id = pdfium_c.FPDFPageObj_GetMarkedContentID(item.raw)
                found.setdefault((number, content_id), []).append(buffer.raw[:size].decode("utf-16-le").rstrip("\0"))
    finally:
        document.close()
    return found


def read(pdf: bytes) -> list[Element]:
    """Every structure element, in the tree's order (the reading order)."""
    reader = PdfReader(io.BytesIO(pdf))
    page_numbers = {page.indirect_reference.idnum: number for number, page in enumerate(reader.pages)}
    texts = _text_by_content_id(pdf)
    flat = []

    def page_of(node, page):
        return page_numbers.get(node.raw_get("/Pg").idnum, page) if "/Pg" in node else page

    def kids(node):
        found = node.get("/K", [])
        for kid in found if isinstance(found, list) else [found]:
            yield kid.get_object() if hasattr(kid, "get_object") else kid

    def visit(node, depth, page) -> Element:
        page = page_of(node, page)
        words, children = [], []
        index = len(flat)
        flat.append(None)
        for kid in kids(node):
            if isinstance(kid, DictionaryObject) and "/S" in kid:
                child = visit(kid, depth + 1, page)
                children.append(child)
                words.append(child.text)
            elif isinstance(kid, DictionaryObject) and "/MCID" in kid:
                words.extend(texts.get((page_of(kid, page), int(kid["/MCID"])), []))
            elif isinstance(kid, int):
                words.extend(texts.get((page, int(kid)), []))
        # A line is a text object of its own: joined by a space, as a reader says them.
        text = " ".join(" ".join(words).split())
        element = Element(depth, str(node["/S"]).lstrip("/"), str(node.get("/Alt", "")), text, tuple(children))
        flat[index] = element
        return element

    root = reader.trailer["/Root"]["/StructTreeRoot"]
    for top in kids(root):
        visit(top, 0, 0)
    return flat


def marked(pdf: bytes) -> tuple[bool, str]:
    """(whether the catalog says the PDF is tagged, the language it names)"""
    catalog = PdfReader(io.BytesIO(pdf)).trailer["/Root"]
    return bool((catalog.get("/MarkInfo") or {}).get("/Marked")), str(catalog.get("/Lang", ""))
