"""The BSrE stand-in on a loopback port, and a Nota waiting for the signature of a Kabiro the admin set
to sign through it: for the tests that sign through BSrE."""

import pytest

from naskah import certificates, demo_ca
from naskah.bsre_standin import StandIn
from naskah.models import SigningMethod
from tests.naskah.helpers import initialled
from workflow.demo import DEMO_PASSWORD

NIK, PASSPHRASE = "6171012345678901", "passphrase-bsre-kabiro"
REVOKED_NIK, UNKNOWN_NIK = "6171012345678902", "6171019999999999"


@pytest.fixture
def standin(request, settings, db):
    """The stand-in, its timestamp authority living `request.param` days if parametrised (else 30 years)."""
    service = StandIn(tsa_days=getattr(request, "param", demo_ca.TSA_DAYS))
    service.register(NIK, PASSPHRASE, "Dr. H. Syarif Abdullah (BSrE DEMO)")
    service.register(REVOKED_NIK, "sandi-lama", "Pejabat Dicabut", status="REVOKE")
    settings.SOP_BSRE_URL = service.start()
    settings.SOP_BSRE_USER, settings.SOP_BSRE_PASSWORD = service.username, service.password
    settings.SOP_BSRE_TIMEOUT = 30
    certificates.trust(nama="BSrE DEMO", data=service.root_pem)
    yield service
    service.stop()


@pytest.fixture
def at_signing(people, walk, standin):
    dossier = initialled(people, walk)
    people["kabiro"].set_password(DEMO_PASSWORD)
    people["kabiro"].save()
    SigningMethod.objects.create(pejabat=people["kabiro"], cara=SigningMethod.Cara.BSRE)
    return dossier


