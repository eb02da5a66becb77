"""People brought in from a spreadsheet the admin prepared (Admin › Pengguna › Impor dari berkas): the
bureau's staff and the agencies' officers on the first day, instead of one add page each.

The file is read whole and checked against the database before anything is written: every refused
row is named by its row and column, in words, and the admin sees what each row will do (a new
account, a change, nothing) before confirming. The confirmation reads the file's rows again (carried
signed in the page, never trusted as sent) and plans them again under a lock: what it writes is what
the preview showed, or nothing. A row names its account by user name; the same file imported twice
changes nothing the second time. An agency the file names must already be on the SKPD list: the
import never makes one.

The package reads the file (`reading`), plans its rows against the accounts (`planning`), writes a
confirmed plan (`writing`) and makes the template (`template`); `columns` is their shared vocabulary.
"""

from workflow.people_import.columns import COLUMNS, XLSX_TYPE, Sheet
from workflow.people_import.planning import plan
from workflow.people_import.reading import read_file
from workflow.people_import.template import template_bytes
from workflow.people_import.writing import write

__all__ = ["COLUMNS", "XLSX_TYPE", "Sheet", "plan", "read_file", "template_bytes", "write"]
