"""Dates and times as official letters write them (domain.md, "Formatting")."""

import datetime as dt

from workflow.worktime import tanggal as hari_tanggal
from workflow.worktime import tanggal_bulan_tahun as tanggal

__all__ = ["hari_tanggal", "jam", "tanggal"]


def jam(moment: dt.time | dt.datetime) -> str:
    """'09.00': a full stop between hours and minutes."""
    return f"{moment:%H.%M}"
