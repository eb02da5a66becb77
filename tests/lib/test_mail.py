"""lib.mail: an e-mail's Message-ID follows from what it tells whom, so a resend is the same message."""

import datetime as dt

from lib.mail import message_id

MADE = dt.datetime(2027, 3, 9, 8, 0, 0, 123456, tzinfo=dt.UTC)


def test_the_same_notice_to_the_same_people_is_the_same_message_and_anything_else_another():
    one = message_id("pemberitahuan", 7, MADE, ["kabag@example.go.id", "tim@example.go.id"])
    assert one == message_id("pemberitahuan", 7, MADE, ["Tim@example.go.id", "kabag@example.go.id"])
    others = {
        message_id("pemberitahuan", 8, MADE, ["kabag@example.go.id", "tim@example.go.id"]),
        message_id("pengingat-late", 7, MADE, ["kabag@example.go.id", "tim@example.go.id"]),
        message_id("pemberitahuan", 7, MADE, ["kabag@example.go.id"]),
        # Number 7 again after a restore from backup, made at another moment.
        message_id("pemberitahuan", 7, MADE + dt.timedelta(microseconds=1), ["kabag@example.go.id", "tim@example.go.id"]),
    }
    assert one not in others and len(others) == 4


def test_it_names_the_senders_domain_even_with_a_name_before_the_address_and_fits_one_header_line(settings):
    settings.DEFAULT_FROM_EMAIL = "SOP-IKU Biro Kesra <sop-iku@kalbarprov.go.id>"
    made = message_id("pengingat-near", 123456789, MADE, ["kabiro@example.go.id"])
    assert made.startswith("<pengingat-near.123456789.") and made.endswith("@kalbarprov.go.id>")
    assert made.count("<") == made.count(">") == 1
    assert len(f"Message-ID: {made}") <= 78
