"""A select of agencies whose options carry the names a clerk searches them by, for a search box
beside it (the archive's filter, static/js/arsip_skpd.js): the label stays the agency as printed."""

from django import forms


class AgencySelect(forms.Select):
    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        # The agency as its choice was read with the list (no query more): the names the label (the
        # short name) does not show.
        agency = getattr(value, "instance", None)
        if agency is not None:
            option["attrs"]["data-skpd-names"] = agency.other_names
        return option
