from django.conf import settings

from lib.commands import OperatorCommand
from workflow import demo
from workflow.models import Dossier


class Command(OperatorCommand):
    help = (
        "Membuat pengguna contoh (satu per peran, dua pengguna SKPD, admin) dan dosier contoh: satu di "
        "setiap langkah, satu yang pernah dikembalikan, satu yang selesai. Aman dijalankan ulang: "
        "pengguna yang sudah ada tidak diubah dan dosier hanya dibuat bila belum ada dosier sama sekali."
    )

    def handle(self, *args, **options):
        people = demo.ensure_people()
        if demo.ensure_certificates(people):
            self.stdout.write("Sertifikat tanda tangan DEMO dipasang (CA demo, instansi, Kabiro); ganti sebelum "
                              "menandatangani naskah resmi.")
        if Dossier.objects.exists():
            self.stdout.write("Dosier sudah ada; dosier contoh tidak dibuat lagi.")
        else:
            made = demo.make_demo_dossiers(people)
            self.stdout.write(f"{len(made)} dosier contoh dibuat.")
        self.stdout.write(
            f"Masuk di {settings.SOP_SITE_URL} dengan salah satu nama pengguna: "
            + ", ".join(sorted(list(people) + ["admin"]))
            + f" (kata sandi: {demo.DEMO_PASSWORD})."
        )
