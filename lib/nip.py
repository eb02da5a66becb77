"""Validation of the NIP (Nomor Induk Pegawai) of a civil servant.

A NIP has 18 digits: birth date YYYYMMDD, first appointment YYYYMM, sex (1 male, 2 female) and a
serial of three digits. It is often written spaced ("19660801 198803 1 001"), so spaces are allowed
on input and removed before the check.
"""

import datetime

from django.core.exceptions import ValidationError


def normalize_nip(value: str) -> str:
    return "".join(value.split())


def validate_nip(value: str) -> None:
    nip = normalize_nip(value)
    if len(nip) != 18 or not nip.isdigit():
        raise ValidationError("NIP harus 18 angka, misalnya 19660801 198803 1 001.", code="nip_format")
    try:
        birth = datetime.date(int(nip[0:4]), int(nip[4:6]), int(nip[6:8]))
    except ValueError:
        raise ValidationError(
            "Tanggal lahir pada NIP (8 angka pertama) bukan tanggal yang ada.", code="nip_birth"
        ) from None
    year, month = int(nip[8:12]), int(nip[12:14])
    if not 1 <= month <= 12:
        raise ValidationError(
            "Bulan pengangkatan pada NIP (angka ke-13 dan ke-14) harus 01 sampai 12.",
            code="nip_appointment",
        )
    if (year, month) <= (birth.year, birth.month) or year < 1950:
        raise ValidationError(
            "Tahun dan bulan pengangkatan pada NIP harus sesudah tanggal lahir.",
            code="nip_appointment",
        )
    if (year, month) > (datetime.date.today().year, datetime.date.today().month):
        raise ValidationError(
            "Tahun dan bulan pengangkatan pada NIP tidak boleh di masa depan.",
            code="nip_appointment",
        )
    if nip[14] not in "12":
        raise ValidationError(
            "Angka jenis kelamin pada NIP (angka ke-15) harus 1 (laki-laki) atau 2 (perempuan).",
            code="nip_sex",
        )


def format_nip(value: str) -> str:
    """'196608011988031001' -> '19660801 198803 1 001', the way NIPs are printed."""
    nip = normalize_nip(value)
    if len(nip) != 18:
        return value
    return f"{nip[0:8]} {nip[8:14]} {nip[14]} {nip[15:18]}"
