"""How the OpenAPI schema describes the token scheme, the query parameters each read takes, and the
refusals every operation may answer."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter


class TokenScheme(OpenApiAuthenticationExtension):
    target_class = "api.auth.TokenAuthentication"
    name = "tokenApi"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer", "bearerFormat": "sopiku_<awalan>_<rahasia>",
                "description": "Token API dari halaman Token API (dibuat sekali tampil)."}


class ApiSchema(AutoSchema):
    """A read lists every query parameter it takes, as api.views_base.ApiView refuses any other: its
    view's `query_parameters` (its filters and pages come from drf-spectacular) and `format`."""

    def get_override_parameters(self):
        said = super().get_override_parameters()
        if self.method not in ("GET", "HEAD"):
            return said
        # A file's download answers the file's own kind, not its renderers' (views_documents).
        formats = list(getattr(self.view, "file_formats", ())) or list(dict.fromkeys(self.map_renderers("format")))
        return [*said, *self.view.query_parameters, OpenApiParameter(
            "format", OpenApiTypes.STR, enum=formats,
            description="Bentuk jawaban, boleh tidak disebut: " + ", ".join(formats) + ".")]


# What a refusal is answered with (api.errors): a `detail` to show, and where a form, a gate, an IKU
# table or a filter names what is wrong, `kesalahan` in one of three shapes. Declared once for every
# operation, so a generated client knows the errors too, not only the 200.
REFUSAL = {
    "type": "object",
    "required": ["detail"],
    "properties": {
        "detail": {"type": "string", "description": "Alasannya, dalam bahasa Indonesia, untuk ditampilkan."},
        "kesalahan": {
            "description": "Yang salah: pesan-pesan gerbang langkah (daftar teks); pesan per isian atau parameter "
                           "(objek nama → daftar teks); atau, untuk tabel IKU, satu objek per sel (baris, kolom, "
                           "label, pesan).",
            "oneOf": [
                {"type": "array", "items": {"type": "string"}},
                {"type": "object", "additionalProperties": {"type": "array", "items": {"type": "string"}}},
                {"type": "array", "items": {"type": "object", "properties": {
                    "baris": {"type": "integer", "nullable": True}, "kolom": {"type": "string", "nullable": True},
                    "label": {"type": "string"}, "pesan": {"type": "string"}}}},
            ],
        },
        "revisi": {"type": "integer", "description": "Revisi dosier sekarang (412)."},
    },
}
EVERY = {
    "401": "Tanpa token, atau token salah, kedaluwarsa atau dicabut.",
    "403": "Kebijakan tidak mengizinkan (alasannya di detail).",
    "404": "Tidak ada, atau tidak dibagikan kepada Anda.",
    "429": "Terlalu banyak permintaan: lihat Retry-After.",
    "503": "Basis data sibuk atau sedang tidak terjangkau: tidak ada yang berubah; minta lagi sesudah Retry-After.",
}
WRITES = {
    "503": ("Basis data sibuk (tidak ada yang disimpan: kirim lagi yang sama persis) atau sedang tidak terjangkau "
            "(mungkin sudah tersimpan: kirim lagi dengan Idempotency-Key yang sama; tanpa kunci, baca dahulu) sesudah "
            "Retry-After."),
    "400": "Isian, gerbang langkah atau tabel ditolak (kesalahan).",
    "409": "Kunci idempotensi dipakai untuk isi lain, atau tabel IKU berubah sejak dibaca (tanda_tabel baru).",
}
PARAMETERS = ("Parameter ditolak (kesalahan, per parameter): nilainya tidak sah, alamat ini tidak menerimanya (yang "
              "diterima adalah parameter kueri operasi ini), atau disebut lebih dari sekali.")
# Only where the operation takes If-Match (ingatkan/ does not: each agency is reminded once a day).
GUARDED = {
    "412": "If-Match tidak sesuai: dosier sudah berubah sejak dibaca: berpindah langkah, atau dokumen langkahnya diperbarui; detail menyebut yang berubah (ETag baru di header).",
    "428": "Tanpa If-Match.",
}


def refusals(result, generator, request, public):
    """drf-spectacular's postprocessing hook: the refusals every operation may answer, beside its own."""
    result.setdefault("components", {}).setdefault("schemas", {})["Penolakan"] = REFUSAL
    shape = {"application/json": {"schema": {"$ref": "#/components/schemas/Penolakan"}}}
    for methods in result.get("paths", {}).values():
        for method, operation in methods.items():
            said = {**EVERY, **(WRITES if method in ("post", "put", "patch", "delete") else {"400": PARAMETERS})}
            if any(p.get("in") == "header" and p.get("name") == "If-Match" for p in operation.get("parameters", [])):
                said |= GUARDED
            for code, description in said.items():
                operation.setdefault("responses", {}).setdefault(code, {"description": description, "content": shape})
    return result
