"""Runs the BSrE TTE stand-in (naskah/bsre_standin.py) on a loopback port for the demo, so an
official can sign a Nota "through BSrE" without BSSN: it registers the demo NIK and passphrase for
an official, trusts the stand-in's root, sets that official to sign through BSrE, and prints the
settings the app must run with. Until Ctrl-C. Nothing of it is for real documents.
"""

import time

from django.core.management.base import CommandError

from lib.commands import OperatorCommand
from naskah import certificates
from naskah.bsre_standin import ROOT_NAME, StandIn
from naskah.models import SigningMethod, TrustedRoot
from workflow.models import User

DEMO_NIK, DEMO_PASSPHRASE, DEMO_CLIENT, DEMO_CLIENT_PASSWORD = "6171000000000001", "demo-bsre", "sopiku-demo", "demo-klien"


def trusted(official, *, nik: str = DEMO_NIK, passphrase: str = DEMO_PASSPHRASE, port: int = 0) -> StandIn:
    """A stand-in on loopback `port` (0: a free one) knowing `official` by `nik`, its root trusted here."""
    standin = StandIn(username=DEMO_CLIENT, password=DEMO_CLIENT_PASSWORD, port=port)
    standin.register(nik, passphrase, f"{official.display_name} (BSrE DEMO)")
    # A stand-in started again has a new root; the old ones stay trusted for what they signed.
    certificates.trust(nama=f"{ROOT_NAME} #{TrustedRoot.objects.filter(nama__startswith=ROOT_NAME).count() + 1}",
                       data=standin.root_pem)
    return standin


def prepare(official, *, nik: str = DEMO_NIK, passphrase: str = DEMO_PASSPHRASE, fallback: bool = True,
            port: int = 0) -> StandIn:
    """trusted(), and the official set to BSrE."""
    standin = trusted(official, nik=nik, passphrase=passphrase, port=port)
    SigningMethod.objects.update_or_create(pejabat=official, defaults={"cara": SigningMethod.Cara.BSRE,
                                                                       "cadangan_lokal": fallback})
    return standin


class Command(OperatorCommand):
    help = "Menjalankan tiruan layanan TTE BSrE untuk demo (alamat loopback), sampai Ctrl-C."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8765)
        parser.add_argument("--pejabat", default="kabiro", help="Nama pengguna pejabat yang menandatangani melalui BSrE.")

    def handle(self, *args, **options):
        official = User.objects.filter(username=options["pejabat"], is_active=True).first()
        if official is None:
            raise CommandError(f"Pengguna {options['pejabat']!r} tidak ada; jalankan demo_data dahulu.")
        standin = prepare(official, port=options["port"])
        url = standin.start()
        self.stdout.write(
            f"Tiruan BSrE berjalan di {url} (bukan BSSN; hanya untuk demo).\n"
            f"Jalankan aplikasi dengan:\n  SOP_BSRE_URL={url} SOP_BSRE_USER={DEMO_CLIENT} "
            f"SOP_BSRE_PASSWORD={DEMO_CLIENT_PASSWORD}\n"
            f"{official.display_name} menandatangani dengan NIK {DEMO_NIK} dan passphrase {DEMO_PASSPHRASE}.")
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            standin.stop()
