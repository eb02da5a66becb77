"""Who signs a document for a role today, and how the signature block reads.

"a.n." when the signer signs for a superior, "u.b." one level further down; "Plh."/"Plt." before
the jabatan when the signer holds the role through a running Delegation (policy.roles_of decides
that, not this module).
"""

from dataclasses import dataclass

from django.utils import timezone

from lib.dates import long_date
from workflow import policy
from workflow.models import Delegation, User
from workflow.roles import Role
from workflow.steps import SOP

# The jabatan a block prints when no user holds the role (a fresh installation).
JABATAN_BAWAAN = {
    Role.KASUBAG: "Kepala Subbagian Tata Usaha",
    Role.KABAG: "Kepala Bagian",
    Role.KABIRO: f"Kepala {SOP['unit']}",
}


@dataclass(frozen=True)
class Tandatangan:
    jabatan: str
    nama: str = ""
    pangkat: str = ""
    nip: str = ""
    atas_nama: str = ""
    untuk_beliau: str = ""
    # Filled once the document is signed (the cetak view after step 8): "6 Januari 2027".
    ditandatangani: str = ""

    @property
    def baris_jabatan(self) -> list[str]:
        lines = [f"a.n. {self.atas_nama.upper()}"] if self.atas_nama else []
        if self.untuk_beliau:
            lines.append(f"u.b. {self.untuk_beliau.upper()}")
        return lines + [f"{self.jabatan},"]


def official_of(role: str):
    """The (first) active user holding `role` in their own right."""
    return User.objects.filter(is_active=True, role_set__role=role).order_by("pk").first()


def jabatan_as_written(role: str, official=None) -> str:
    """The official's position as the admin wrote it (else the default), for running text (the Nota's
    Dari line, a Tembusan): title-casing the signature block's capitals made "Perempuan Dan Anak" of
    "Perempuan dan Anak" and "Iku" of "IKU"."""
    return official.jabatan if official is not None and official.jabatan else JABATAN_BAWAAN.get(role, "")


def jabatan_of(role: str, official=None) -> str:
    """The position as a signature block prints it: in capitals."""
    return jabatan_as_written(role, official).upper()


def signer_for(role: str, user=None):
    """(signer, delegation or None) for `role` today: the acting user if they hold it, else whoever
    stands in for the official (a running delegation), else the official."""
    if user is not None:
        held = policy.roles_of(user)
        if role in held:
            return user, held[role]
    delegation = (
        Delegation.objects.giving_roles_on(timezone.localdate())
        .filter(role=role, delegate__is_active=True)
        .select_related("official", "delegate")
        .order_by("pk")
        .first()
    )
    if delegation is not None:
        return delegation.delegate, delegation
    return official_of(role), None


def block(role: str, signer, *, official=None, prefix: str = "", atas_nama: str = "",
          untuk_beliau: str = "", signed_on=None) -> Tandatangan:
    """The block for `signer` acting in `role`: for `official` with `prefix` ("Plh."/"Plt.") when
    standing in, in their own right otherwise."""
    jabatan = jabatan_of(role, official or signer)
    return Tandatangan(
        jabatan=f"{prefix} {jabatan}" if prefix else jabatan,
        nama=signer.display_name if signer is not None else "",
        pangkat=signer.pangkat_golongan if signer is not None else "",
        nip=f"NIP. {signer.nip_spaced}" if signer is not None and signer.nip else "",
        atas_nama=atas_nama,
        untuk_beliau=untuk_beliau,
        ditandatangani=long_date(timezone.localtime(signed_on).date()) if signed_on else "",
    )


def block_for(role: str, user=None, **kwargs) -> Tandatangan:
    """The block of whoever signs for `role` today (see signer_for)."""
    signer, delegation = signer_for(role, user)
    if delegation is not None:
        kwargs |= {"official": delegation.official, "prefix": delegation.get_kind_display()}
    return block(role, signer, **kwargs)


def block_from_event(event, **kwargs) -> Tandatangan:
    """The block of whoever took an audited action, as they acted then (Plh. included), signed then."""
    prefix = event.get_delegation_kind_display() if event.delegation_kind else ""
    return block(event.role, event.actor, official=event.on_behalf_of, prefix=prefix, signed_on=event.at, **kwargs)
