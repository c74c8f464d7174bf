"""Uploaded record files as the web receives them (multipart uploads), read into the service's ``UploadedFile``.

Kept out of ``service.py`` so that the service knows no web types; both the API and the pages use it.
"""

from __future__ import annotations

from fastapi import UploadFile

from rating_service.errors import RatingServiceError
from rating_service.records.service import UploadedFile
from rating_service.settings import get_settings


def read_uploads(files: list[UploadFile]) -> list[UploadedFile]:
    """The uploaded files' bytes, refusing any over the size limit before parsing."""
    limit = get_settings().upload_limit_mb * 1024 * 1024
    uploads = []
    for file in files:
        data = file.file.read(limit + 1)
        if len(data) > limit:
            raise RatingServiceError("file_too_large", limit=f"{get_settings().upload_limit_mb} MB")
        uploads.append(UploadedFile(filename=file.filename or "upload", data=data))
    return uploads
