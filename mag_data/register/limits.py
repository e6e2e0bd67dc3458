"""Limits of an uploaded register file, checked before (and while) it is parsed.

An upload over a limit is refused with a problem naming the limit, so any bad upload is answered
within about two seconds and 200 MB of memory (``tests/unit/editing/test_upload_checks.py``).
The README's editing section lists these numbers; change them there too.
"""

from __future__ import annotations

MAX_UPLOAD_BYTES = 10 * 1024 * 1024  # also server.maxUploadSize in .streamlit/config.toml
MAX_ROWS = 100_000  # data rows of one uploaded table (the header not counted)
MAX_COLUMNS = 100  # columns of one uploaded table (the widest register has 26)
# XLSX: the uncompressed size of the sheet read plus the shared strings (a zip bomb is refused
# by what its parts declare, before anything is inflated).
MAX_XLSX_UNCOMPRESSED_BYTES = 64 * 1024 * 1024
