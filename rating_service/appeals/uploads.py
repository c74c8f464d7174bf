"""An appeal's attachments as the web receives them (multipart uploads), read into the service's ``Upload``.

Kept out of ``service.py`` so that the service knows no web types; both the API and the pages use it.
"""

from __future__ import annotations

from fastapi import UploadFile
from fastapi.responses import Response

from rating_service.appeals import service
from rating_service.settings import get_settings
from rating_service.web.ui import content_disposition

# An attachment opened in the appeal page's viewer loads nothing, runs nothing (a sandboxed document) and may be
# framed by the site's own pages only. Chromium (156) still shows a sandboxed PDF in its viewer (the browser test
# tests/browser/test_appeal_decision.py opens one in the page's frame).
INLINE_CSP = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; frame-ancestors 'self'; sandbox"


def read_attachments(files: list[UploadFile] | None) -> list[service.Upload]:
    """The uploaded files' bytes, read one byte past the size limit (the service refuses, naming the file)."""
    limit = get_settings().attachment_limit_mb * 1024 * 1024
    out = []
    for file in files or []:
        data = file.file.read(limit + 1)  # one byte over the limit is enough to refuse it
        out.append(service.Upload(filename=file.filename or "attachment", data=data))
    return out


def inline_attachment(data: bytes, *, filename: str, attachment_id: int) -> Response:
    """A stored attachment for the page's viewer: the type read from its bytes (never the stored or the name's),
    shown inline only when it is a PDF or an image (anything else is a download of unknown bytes), not sniffed,
    not cached, framed by the site's own pages only, under a policy that loads and runs nothing."""
    sniffed = service.sniff(data)
    media_type, extension = sniffed if sniffed else ("application/octet-stream", "bin")
    name = service.display_name(filename)
    headers = {
        "Content-Disposition": content_disposition(f"attachment-{attachment_id}.{extension}", name,
                                                   inline=sniffed is not None),
        "X-Content-Type-Options": "nosniff", "Cache-Control": "private, no-store",
        "Content-Security-Policy": INLINE_CSP,
        "X-Frame-Options": "SAMEORIGIN", "Cross-Origin-Resource-Policy": "same-origin",
    }
    return Response(content=data, media_type=media_type, headers=headers)
