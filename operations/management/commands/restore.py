import os
import tarfile
from pathlib import Path

from django.core.management.base import CommandError
from django.db import DatabaseError, connection

from lib.commands import OperatorCommand
from operations import backup


class Command(OperatorCommand):
    help = "Memulihkan arsip dari `backup` ke pemasangan baru yang kosong (sesudah `migrate`)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="arsip dari manage.py backup")
        parser.add_argument("--kunci-lain", action="store_true", dest="kunci_lain",
                            help="pulihkan juga bila riwayat arsip disegel dengan kunci lain (kunci asal hilang): "
                                 "riwayat disegel ulang dengan kunci ini, sertifikat harus dipasang ulang")

    def handle(self, *args, **options):
        if Path(options["file"]).is_dir():
            # Else Python's "[Errno 21] Is a directory", in English, once the install was checked.
            raise CommandError(f"{options['file']} adalah folder, bukan arsip: sebutkan berkas .tar.gz cadangannya, "
                               "misalnya /var/backups/sop-iku/sop-iku-2027-01-05.tar.gz. Tidak ada yang dipulihkan.")
        try:
            manifest = backup.read(Path(options["file"]), other_key=options["kunci_lain"])
        except tarfile.TarError as problem:
            raise CommandError(f"{options['file']} bukan arsip cadangan yang utuh (terpotong atau rusak: {problem}); "
                               "tidak ada yang dipulihkan.") from None
        except DatabaseError as problem:
            if refusing := read_only(problem):
                raise CommandError(f"Basis data tidak dapat ditulis (hanya-baca), tidak ada yang dipulihkan: {refusing}"
                                   ) from None
            raise CommandError(f"Basis data menolak pemulihan, tidak ada yang dipulihkan: {problem}. Sudahkah `migrate` "
                               "dijalankan, dan apakah pemulihan berjalan sebagai pemilik basis data (bukan peran aplikasi)?"
                               ) from None
        except FileNotFoundError:
            raise CommandError(f"Berkas {options['file']} tidak ada.") from None
        except (ValueError, OSError, KeyError) as problem:
            raise CommandError(str(problem)) from None
        if resealed := manifest.get("resealed"):
            self.stdout.write(f"Riwayat dalam arsip ({resealed} catatan) disegel dengan kunci lain yang sudah hilang, dan "
                              "kini disegel ulang dengan kunci pemasangan ini: isinya sebelum pemulihan tidak dapat "
                              "dibuktikan lagi; sejak sekarang `verify_audit` memeriksanya dengan kunci ini. Setiap "
                              "sertifikat tanda tangan harus dipasang ulang.")
        waiting = manifest.get("tasks", 0)
        queued = (f" {waiting} tugas yang masih antre saat dicadangkan (pemberitahuan, e-mail, webhook, penyiapan naskah) "
                  "menunggu lagi dan dikerjakan oleh pekerja tugas." if waiting else "")
        self.stdout.write(f"{manifest['rows']} baris dan {len(manifest['files'])} berkas dipulihkan.{queued} "
                          "Periksa riwayat dengan `manage.py verify_audit`. Titik periksa riwayat yang dicatat "
                          "sesudah cadangan ini dibuat menyebut catatan yang tidak ada di arsip: pindahkan berkasnya "
                          "(SOP_AUDIT_CHECKPOINTS) ke tempat lain sebagai bukti sebelum `verify_audit --checkpoint`.")


def read_only(problem: DatabaseError) -> str:
    """Where the database refuses to be written and what to do, or "". SQLite on a disk mounted
    read-only cannot even open its file (it makes its -wal and -shm files beside it) and says only
    "unable to open database file"; PostgreSQL says so of a standby or a read-only session."""
    cause, where = problem.__cause__, connection.settings_dict
    if connection.vendor == "sqlite":
        database = Path(where["NAME"])
        refused = getattr(cause, "sqlite_errorname", "")
        if refused.startswith("SQLITE_READONLY") or (
                refused == "SQLITE_CANTOPEN" and database.exists()
                and not (os.access(database, os.W_OK) and os.access(database.parent, os.W_OK))):
            return (f"berkas SQLite {database} atau foldernya {database.parent} (SQLite menulis berkas -wal dan -shm di "
                    "samping berkasnya). Pasang disknya lagi agar dapat ditulis, atau berikan hak tulis atas berkas dan "
                    "folder itu kepada pengguna yang menjalankan pemulihan, lalu jalankan lagi `restore`.")
        return ""
    if getattr(cause, "sqlstate", None) == "25006" or "read-only file system" in str(problem).lower():
        host = f" di {where['HOST']}" if where.get("HOST") else ""
        return (f"basis data PostgreSQL {where['NAME']}{host} (standby, sesi hanya-baca, atau disk datanya hanya-baca). "
                "Arahkan DATABASE_URL ke primary yang menerima tulisan (atau pulihkan disk datanya), lalu jalankan lagi "
                "`restore`.")
    return ""
