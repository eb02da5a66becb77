"""What a document about to be made would print without, said on its form before it is made: the
kop's emblem, the decree's Garuda, rules of the decree's Mengingat the bureau has not checked, the
signer's full name, NIP and pangkat, a certificate to sign it with. Each is the admin's to complete;
the document can still be made (a draft to read), and the Kabag and the legal bureau would return
it."""

from urllib.parse import urlsplit

from lib.site import site_url
from naskah.models import LegalBasis, OfficeProfile
from sop_iku.checks import UNSPECIFIED_HOSTS
from workflow.roles import Role
from workflow.steps import DocKind

SHOWN_RULES = 3


def lacking(kind: str, signer_role: str = "", user=None) -> list[str]:
    """`signer_role`: whose signature block the document carries (Generator.penandatangan), signed
    by whoever holds it today as `user` acts (signature.signer_for)."""
    profile = OfficeProfile.current()
    said = _site_lacking() + (_signer_lacking(signer_role, user) if signer_role else [])
    if not profile.kop_diperiksa:
        shown = " · ".join(filter(None, (f"{profile.alamat} {profile.kode_pos}".strip(), profile.telepon and
                                         f"Telepon {profile.telepon}", profile.laman, profile.surel)))
        said.append(f"Kop masih memuat nilai contoh yang belum dipastikan Biro ({shown}): periksa alamat, kode pos, "
                    "telepon, laman dan surel di Admin › Profil kantor (kop surat), lalu centang “Kop sudah diperiksa”.")
    if kind == DocKind.DRAFT_KEPGUB:
        if not profile.garuda:
            said.append("Draft keputusan akan tercetak tanpa lambang Garuda: unggah gambarnya di Admin › Profil kantor.")
        unchecked = list(LegalBasis.objects.filter(aktif=True, diperiksa=False).order_by("urutan", "pk"))
        if unchecked:
            named = "; ".join(f"“{rule.teks[:80]}{'…' if len(rule.teks) > 80 else ''}”" for rule in unchecked[:SHOWN_RULES])
            more = f" dan {len(unchecked) - SHOWN_RULES} lagi" if len(unchecked) > SHOWN_RULES else ""
            said.append(f"{len(unchecked)} dasar hukum pada Mengingat belum diperiksa Biro (nomor Lembaran/Berita "
                        f"Daerah, perubahannya): {named}{more}. Periksa di Admin › Dasar hukum.")
    elif not profile.lambang:
        said.append("Kop akan tercetak tanpa lambang daerah: unggah gambarnya di Admin › Profil kantor.")
    return said


def _signer_lacking(role: str, user) -> list[str]:
    # On a fresh install the admin makes the accounts first and their staff data later: the block
    # would print the login name ("rina") with no NIP on a letter that goes out, and nothing said so.
    from naskah.signature import signer_for

    label = Role(role).label
    signer, _ = signer_for(role, user)
    if signer is None:
        return [f"Belum ada pengguna aktif dengan peran {label}: blok tanda tangan tercetak tanpa nama dan NIP. "
                f"Tambahkan penggunanya di Admin › Pengguna dengan peran {label}."]
    said = _certificate_lacking(signer)
    missing = [name for name, value in (("nama lengkap dengan gelar", signer.nama), ("NIP", signer.nip),
                                       ("pangkat/golongan", signer.pangkat_golongan)) if not value]
    if not missing:
        return said
    printed = "" if signer.nama else f" (tercetak “{signer.display_name}”)"
    listed = ", ".join(missing[:-1]) + " dan " + missing[-1] if len(missing) > 1 else missing[0]
    return [f"Blok tanda tangan {label} belum lengkap{printed}: {listed} belum diisi. Isi di Admin › Pengguna › "
            f"{signer.username}, bagian Data kepegawaian.", *said]


def _certificate_lacking(signer) -> list[str]:
    # A fresh install has no certificate: the step that signs the document refuses, and the Kasubag
    # learnt it only there, after making the letter and filling in the step.
    from naskah import certificates
    from naskah.signers import method_of

    if method_of(signer) is not None or certificates.for_signer(signer) is not None:
        return []
    unopened = certificates.unopened_for(signer)
    if unopened:
        return [certificates.UNOPENED.format(nama=unopened[0].nama)]
    return [f"Belum ada sertifikat tanda tangan elektronik yang berlaku untuk {signer.display_name}, dan instansi juga "
            "belum: naskah ini dapat dibuat sebagai konsep, tetapi langkahnya tidak dapat diselesaikan karena naskah "
            "ditandatangani saat itu. Minta admin memasangnya di Admin › Sertifikat tanda tangan elektronik."]


def _site_lacking() -> list[str]:
    # An address that only says "every interface of this machine" (UNSPECIFIED_HOSTS): the README's
    # SOP_BIND for the office LAN, which SOP_SITE_URL defaults to. No reader can open it, and a signed
    # document keeps it for good.
    site = site_url()
    if urlsplit(site).hostname not in UNSPECIFIED_HOSTS:
        return []
    return [f"Kode QR dan alamat verifikasi akan tercetak “{site}/verifikasi/…”, alamat yang tidak dapat dibuka "
            "penerima surat: SOP_SITE_URL belum diatur. Minta pengelola server mengisinya dengan alamat aplikasi "
            "yang dibuka pengguna (misalnya http://192.168.1.10:8000) dan menjalankan ulang aplikasi, sebelum "
            "naskah ditandatangani."]
