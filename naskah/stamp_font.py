"""The signature stamp's embedded font, its glyph widths in the unit PDF reads them in.

pyHanko's GlyphAccumulator writes each glyph's width (the font's /W) and its kerning in the font's
own units, which a PDF reader takes as thousandths of an em: right for a font of 1000 units to the
em, twice too wide for Liberation Sans and DejaVu Sans (2048), whose stamp then read
"D i t a n d a t a n g a n i  s e c a r a  e l e" cut off at the box's edge in every reader that
follows /W (pdfium, so Chrome and Edge). Here HarfBuzz measures in thousandths of an em and the
widths are stored in them, so the letters stand where the layout put them."""

from dataclasses import dataclass

from pyhanko.pdf_utils.font.opentype import GlyphAccumulator, GlyphAccumulatorFactory

PDF_UNITS_PER_EM = 1000


class ThousandthsGlyphAccumulator(GlyphAccumulator):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.font_units_per_em = self.units_per_em
        self.hb_font.scale = (PDF_UNITS_PER_EM, PDF_UNITS_PER_EM)
        self.units_per_em = PDF_UNITS_PER_EM

    def _get_cid_and_width(self, glyph_id: int) -> tuple[int, int]:
        # pyHanko's table of the glyphs met (what /W is written from) holds them scaled: each is put
        # there by the lookup below, its first, in place of the font's units.
        if glyph_id in self._glyphs:
            return self._glyphs[glyph_id]
        cid, width = super()._get_cid_and_width(glyph_id)
        self._glyphs[glyph_id] = found = (cid, round(width * PDF_UNITS_PER_EM / self.font_units_per_em))
        return found


@dataclass(frozen=True)
class ThousandthsGlyphAccumulatorFactory(GlyphAccumulatorFactory):
    def create_font_engine(self, writer, obj_stream=None) -> GlyphAccumulator:
        if obj_stream is None and writer.stream_xrefs and self.create_objstream_if_needed:
            obj_stream = writer.prepare_object_stream()
        # Left open, as pyHanko's own factory leaves it: fontTools reads the tables from it later.
        handle = open(self.font_file, "rb")  # noqa: SIM115
        return ThousandthsGlyphAccumulator(
            writer=writer, font_handle=handle, font_size=self.font_size, ot_script_tag=self.ot_script_tag,
            ot_language_tag=self.ot_language_tag, writing_direction=self.writing_direction,
            bcp47_lang_code=self.bcp47_lang_code, obj_stream=obj_stream,
        )
