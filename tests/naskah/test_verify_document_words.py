"""verify_document on a file that is not a PDF (or a cut one): the operator read pypdf's English
"invalid pdf header: b'root:'" and "EOF marker not found", twice each, above the Indonesian verdict."""

import logging
from io import StringIO

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_a_file_that_is_no_pdf_is_said_in_indonesian_alone(tmp_path, caplog):
    junk = tmp_path / "surat.pdf"
    junk.write_bytes(b"root:x:0:0:root:/root:/bin/bash\n")
    out = StringIO()
    with pytest.raises(SystemExit) as ended:
        call_command("verify_document", str(junk), stdout=out, stderr=StringIO())
    assert ended.value.code == 1
    assert "berkas PDF ini rusak atau tidak lengkap" in out.getvalue()
    assert [record.getMessage() for record in caplog.records if record.levelno >= logging.WARNING] == []
