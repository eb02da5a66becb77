"""Which characters the documents can print on this install. WeasyPrint lays them out with the fonts
fontconfig finds, falling back from the fonts print.css names to any installed font that has the
character; one that no font has prints as an empty box in a signed decree, which no reader can
mend. So what the install's fonts draw is read once per process, from the fonts themselves."""

import functools
import logging
import unicodedata

log = logging.getLogger(__name__)

# In every font print.css names (Arial, Liberation Sans, DejaVu Sans): Latin-1, Latin Extended-A and
# the common punctuation. Text of these alone, nearly all text typed here, opens no font file.
_COMMON = ((0x20, 0x7E), (0xA0, 0x17F), (0x2010, 0x203A))


@functools.cache
def _drawn() -> frozenset[int]:
    """The code points some installed font maps to a glyph (about 7,000 on Debian's DejaVu and
    Liberation fonts; 0.7 s to read, once)."""
    from fontTools.ttLib import TTFont
    from weasyprint.text.ffi import ffi, fontconfig

    config = fontconfig.FcInitLoadConfigAndFonts()
    try:
        fonts = fontconfig.FcConfigGetFonts(config, fontconfig.FcSetSystem)
        files = set()
        for i in range(fonts.nfont if fonts != ffi.NULL else 0):
            name = ffi.new("FcChar8 **")
            if fontconfig.FcPatternGetString(fonts.fonts[i], b"file", 0, name) == fontconfig.FcResultMatch:
                files.add(ffi.string(name[0]).decode())
    finally:
        fontconfig.FcConfigDestroy(config)
    drawn = set()
    for path in sorted(files):
        try:
            drawn.update(TTFont(path, lazy=True, fontNumber=0).getBestCmap() or {})
        except Exception as error:  # a font fontTools cannot read (a bitmap .pcf) draws nothing of ours
            log.info("font not read for its characters: %s (%s)", path, error)
    return frozenset(drawn)


# Word draws its list bullets from symbol fonts at private code points, and a list copied out of it
# can keep them: U+F0B7 (Symbol's bullet), U+F0A7 (Wingdings' square), U+F076 (Wingdings' diamond),
# U+F0D8 (Wingdings' arrowhead). No font here draws them, and
# each is read as a bullet (•), which every font here draws.
WORD_BULLETS = str.maketrans(dict.fromkeys("\uf0b7\uf0a7\uf076\uf0d8", "\u2022"))


def word_bullets(text: str) -> str:
    return text.translate(WORD_BULLETS)


def _common(code: int) -> bool:
    return any(low <= code <= high for low, high in _COMMON)


def undrawn(text: str) -> str | None:
    """The first character of `text` that no installed font draws, or None. Line breaks, tabs and
    format characters (a zero-width space) are layout, not characters to draw: "\r" too, as every
    browser sends a textarea's line breaks as "\r\n"."""
    if text.isascii():
        return None
    for char in text:
        code = ord(char)
        if char in "\r\n\t" or _common(code) or unicodedata.category(char) == "Cf":
            continue
        if code not in _drawn():
            return char
    return None


def undrawn_message(char: str) -> str:
    return (f"Karakter “{char}” (U+{ord(char):04X}) tidak ada pada huruf cetak naskah dan akan tercetak sebagai "
            "kotak kosong; ganti dengan huruf Latin atau tanda baca biasa.")


def printed(text: str) -> None:
    """A form field's validator: refuses text with a character no installed font draws."""
    from django.core.exceptions import ValidationError

    if char := undrawn(text):
        raise ValidationError(undrawn_message(char), code="undrawn")
