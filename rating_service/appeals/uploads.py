"""An appeal's attachments as the web receives them (multipart uploads), read into the service's ``Upload``.

Kept out of ``service.py`` so that the service knows no web types; both the API and the pages use it.
"""

from __future__ import annotations

from fastapi import UploadFile

from rating_service.appeals import service
from rating_service.settings import get_settings


def read_attachments(files: list[UploadFile] | None) -> list[service.Upload]:
    """The uploaded files' bytes, read one byte past the size limit (the service refuses, naming the file)."""
    limit = get_settings().attachment_limit_mb * 1024 * 1024
    out = []
    for file in files or []:
        data = file.file.read(limit + 1)  # one byte over the limit is enough to refuse it
        out.append(service.Upload(filename=file.filename or "attachment", data=data))
    return out
