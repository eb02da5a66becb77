"""Zip containers (DOCX, XLSX) checked before anything reads them: a small upload that expands to
gigabytes (a zip bomb) is refused from its directory alone, without inflating a byte."""

import zipfile


class UnsafeArchive(ValueError):
    """The archive is unreadable, or would expand past the limits."""


def check_zip_expansion(fileobj, *, max_total: int, max_ratio: int = 100, max_members: int = 10_000) -> None:
    """Raise UnsafeArchive unless the zip in `fileobj` is readable, has at most `max_members`
    entries, expands to at most `max_total` bytes in all, and no entry inflates more than
    `max_ratio` times (XLSX and DOCX parts compress about 5-20 times). Leaves `fileobj` at 0."""
    position = fileobj.tell()
    try:
        fileobj.seek(0)
        with zipfile.ZipFile(fileobj) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError):
        raise UnsafeArchive("Berkas rusak atau bukan arsip yang dapat dibaca.") from None
    finally:
        fileobj.seek(position if position is not None else 0)
    if len(members) > max_members:
        raise UnsafeArchive(f"Berkas berisi terlalu banyak bagian ({len(members)}).")
    total = sum(member.file_size for member in members)
    if total > max_total:
        raise UnsafeArchive(
            f"Isi berkas terlalu besar setelah dibuka ({total // (1024 * 1024)} MB); batasnya "
            f"{max_total // (1024 * 1024)} MB."
        )
    for member in members:
        if member.file_size > 1024 * 1024 and member.file_size > max_ratio * max(member.compress_size, 1):
            raise UnsafeArchive("Berkas ini mengembang tidak wajar saat dibuka (kemungkinan zip bomb); ditolak.")
