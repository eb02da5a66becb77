import pytest
from django.core.exceptions import ValidationError

from lib.nip import format_nip, validate_nip


@pytest.mark.parametrize(
    "nip",
    [
        "196608011988031001",
        "19660801 198803 1 001",
        "199107102019031008",
        "198511232010012002",
        "200002292022032001",  # born on a leap day
    ],
)
def test_it_accepts_real_nips(nip):
    validate_nip(nip)


@pytest.mark.parametrize(
    "nip, code",
    [
        ("19660801198803100", "nip_format"),  # 17 digits
        ("1966080119880310011", "nip_format"),  # 19 digits
        ("19660801198803100A", "nip_format"),
        ("196602301988031001", "nip_birth"),  # 30 February
        ("199902291988031001", "nip_birth"),  # 1999 was no leap year
        ("196613011988031001", "nip_birth"),  # month 13
        ("196608011988131001", "nip_appointment"),  # appointment month 13
        ("196608011988001001", "nip_appointment"),  # appointment month 00
        ("196608011960031001", "nip_appointment"),  # appointed before birth
        ("196608012999031001", "nip_appointment"),  # appointed in the future
        ("196608011988033001", "nip_sex"),
        ("196608011988030001", "nip_sex"),
    ],
)
def test_it_refuses_broken_nips_with_the_reason(nip, code):
    with pytest.raises(ValidationError) as caught:
        validate_nip(nip)
    assert caught.value.code == code
    assert "NIP" in caught.value.messages[0]


def test_it_prints_a_nip_spaced():
    assert format_nip("196608011988031001") == "19660801 198803 1 001"
