"""The admin's file fields for files kept in the database store, which has no direct URL
(`DatabaseStorage.url`): the current file is named, not linked, so its page opens."""

from django.contrib.admin.widgets import AdminFileWidget
from django.utils.html import format_html

from lib.numbers import grouped


class StoredFileInput(AdminFileWidget):
    template_name = "filestore/stored_file_input.html"

    def is_initial(self, value):
        # Django asks the file for its URL here, which the store refuses.
        return bool(value and getattr(value, "name", None))


def stored_file_text(field_file) -> str:
    """A stored file as a read-only admin field shows it: its name and size, or "-"."""
    if not field_file:
        return "-"
    try:
        size = f"{grouped(field_file.size)} bita"
    except OSError:
        size = "tidak ditemukan di penyimpanan"
    return format_html("{} ({})", field_file.name, size)
