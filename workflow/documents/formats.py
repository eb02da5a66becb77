"""Dates and times as official letters write them (domain.md, "Formatting")."""

import datetime as dt

from workflow.worktime import BULAN
from workflow.worktime import tanggal as hari_tanggal

__all__ = ["hari_tanggal", "jam", "tanggal"]


def tanggal(day: dt.date) -> str:
    """'5 Januari 2021': no leading zero, the month in full."""
    return f"{day.day} {BULAN[day.month - 1]} {day.year}"


def jam(moment: dt.time | dt.datetime) -> str:
    """'09.00': a full stop between hours and minutes."""
    return f"{moment:%H.%M}"
