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


# Office's older container (OLE2 compound file): Word and Excel 97-2003 files (.doc, .xls), and the
# DOCX or XLSX that Office encrypts when the author sets a password to open it.
COMPOUND_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# The stream an encrypted DOCX or XLSX keeps the real file in (MS-OFFCRYPTO), named in UTF-16 in
# the container's directory.
ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")
LOCKED, LEGACY = "locked", "legacy"
# Said where a DOCX or XLSX was expected.
OFFICE_LOCKED = ("Berkas ini dikunci dengan kata sandi, sehingga isinya tidak dapat diperiksa. Buka di {app} dengan "
                 "kata sandinya, hapus kata sandi pembukanya (File › Info › Enkripsi dengan Kata Sandi, kosongkan), "
                 "simpan, lalu unggah lagi.")
OFFICE_LEGACY = ("Berkas ini berformat {app} 97-2003 walau namanya {ext}. Buka di {app}, pilih Simpan Sebagai "
                 "› {kind}, lalu unggah lagi.")


def compound_file(fileobj) -> str | None:
    """What a file in Office's older container is: LOCKED for a DOCX or XLSX opened only with a
    password, LEGACY for a Word or Excel 97-2003 file, None for any other file. Leaves `fileobj` at 0."""
    fileobj.seek(0)
    try:
        if fileobj.read(len(COMPOUND_SIGNATURE)) != COMPOUND_SIGNATURE:
            return None
        fileobj.seek(0)
        return LOCKED if ENCRYPTED_PACKAGE in fileobj.read() else LEGACY
    finally:
        fileobj.seek(0)
