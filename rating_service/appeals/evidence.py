"""Evidence files attached to an appeal: only what is safe to open is stored.

PDFs are inspected with pypdf (every object of the file, within limits) and refused when they carry anything that
runs or opens something: JavaScript, Launch and other actions that start programs, submit form data or open other
files, embedded files, rich media or 3D content, XFA forms. A PDF that pypdf cannot read, or an encrypted one (its
content cannot be inspected), is refused; an accepted PDF is stored unchanged.

Images (PNG, JPEG) are decoded with Pillow under a pixel limit and encoded again in the same format from their
pixels alone: whatever a file carries besides its picture (EXIF with the GPS position of a phone photo, comments,
text chunks, ICC profiles, bytes appended after the image such as HTML, script or a ZIP archive) is not stored.
"""

from __future__ import annotations

import contextlib
import io
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from rating_service.errors import RatingServiceError
from rating_service.i18n import Localized
from rating_service.settings import get_settings

# Objects (dictionaries, arrays, indirect objects) looked at in one PDF: far above any scanned or printed document
# (a 100-page scan has a few hundred), and a bound on the time a crafted file can take.
MAX_PDF_OBJECTS = 100_000
# Quality of re-encoded JPEG files: visually the same as a camera's, about the same size.
JPEG_QUALITY = 90

FEATURES = {
    "javascript": Localized(zh="脚本（JavaScript）", en="JavaScript"),
    "launch": Localized(zh="启动其他程序的动作（Launch）", en="an action that starts a program (Launch)"),
    "embedded_file": Localized(zh="嵌入的文件（EmbeddedFile）", en="an embedded file"),
    "rich_media": Localized(zh="富媒体或三维内容（RichMedia、3D）", en="rich media or 3D content"),
    "xfa": Localized(zh="XFA 动态表单", en="an XFA form"),
    "form_data": Localized(zh="提交或导入表单数据的动作", en="an action that submits or imports form data"),
    "other_file": Localized(zh="打开其他文件的动作（GoToR、GoToE）", en="an action that opens another file"),
}
# Dictionary keys that are active content wherever they appear (names tree entries, actions, forms, file specs).
ACTIVE_KEYS = {"/JS": "javascript", "/JavaScript": "javascript", "/EmbeddedFiles": "embedded_file",
               "/EmbeddedFile": "embedded_file", "/EF": "embedded_file", "/XFA": "xfa",
               "/RichMediaContent": "rich_media", "/RichMediaSettings": "rich_media"}
# Action types (/S) that run, start, send or open something; GoTo, URI, Named and the like are harmless.
ACTIVE_ACTIONS = {"/JavaScript": "javascript", "/Launch": "launch", "/SubmitForm": "form_data",
                  "/ImportData": "form_data", "/GoToR": "other_file", "/GoToE": "other_file",
                  "/RichMediaExecute": "rich_media"}
# Object types and annotation subtypes that carry files or media.
ACTIVE_TYPES = {"/EmbeddedFile": "embedded_file", "/FileAttachment": "embedded_file", "/RichMedia": "rich_media",
                "/3D": "rich_media"}


class AttachmentRefused(RatingServiceError):
    status_code = 400
    code = "appeal_refused"


@dataclass(frozen=True)
class Evidence:
    """What is stored of an accepted file."""

    data: bytes
    content_type: str
    extension: str


def checked(*, name: str, data: bytes, content_type: str, extension: str) -> Evidence:
    """The file as it is to be stored (a PDF unchanged, an image re-encoded), or AttachmentRefused naming it."""
    if extension == "pdf":
        inspect_pdf(name=name, data=data)
        return Evidence(data, content_type, extension)
    return Evidence(reencoded_image(name=name, data=data, extension=extension), content_type, extension)


# -- PDF -------------------------------------------------------------------------------------------------------

def inspect_pdf(*, name: str, data: bytes) -> None:
    from pypdf import PdfReader

    max_pages = get_settings().attachment_pdf_max_pages
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            raise AttachmentRefused("appeal_file_pdf_encrypted", name=name)
        pages = len(reader.pages)
        if pages > max_pages:
            raise AttachmentRefused("appeal_file_pdf_too_many_pages", name=name, pages=pages, limit=max_pages)
        found = _active_content(reader, name=name)
    except AttachmentRefused:
        raise
    except Exception as exc:  # noqa: BLE001  (pypdf raises many kinds of errors on malformed input)
        raise AttachmentRefused("appeal_file_pdf_unreadable", name=name) from exc
    if found is not None:
        raise AttachmentRefused("appeal_file_pdf_active", name=name, feature=FEATURES[found])


def _active_content(reader: Any, *, name: str) -> str | None:
    """The first kind of active content found in any object of the file (reachable from the trailer or listed in
    its cross-reference tables, so that an object no page points to is looked at too), or None."""
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject

    stack: list[Any] = [reader.trailer]
    for generation, entries in (getattr(reader, "xref", None) or {}).items():
        stack.extend(IndirectObject(idnum, generation, reader) for idnum in entries)
    stack.extend(IndirectObject(idnum, 0, reader) for idnum in (getattr(reader, "xref_objStm", None) or {}))
    if len(stack) > MAX_PDF_OBJECTS:
        raise AttachmentRefused("appeal_file_pdf_too_complex", name=name, limit=MAX_PDF_OBJECTS)
    seen: set[tuple[int, int]] = set()
    visited = 0
    while stack:
        item = stack.pop()
        if isinstance(item, IndirectObject):
            key = (item.idnum, item.generation)
            if key in seen:
                continue
            seen.add(key)
            item = item.get_object()
        visited += 1
        if visited > MAX_PDF_OBJECTS:
            raise AttachmentRefused("appeal_file_pdf_too_complex", name=name, limit=MAX_PDF_OBJECTS)
        if isinstance(item, DictionaryObject):  # streams too: their dictionaries
            for key, value in dict.items(item):  # unresolved values: indirect ones are followed once
                if key in ACTIVE_KEYS:
                    return ACTIVE_KEYS[key]
                if isinstance(value, NameObject):
                    if key == "/S" and value in ACTIVE_ACTIONS:
                        return ACTIVE_ACTIONS[value]
                    if key in ("/Type", "/Subtype") and value in ACTIVE_TYPES:
                        return ACTIVE_TYPES[value]
                elif isinstance(value, DictionaryObject | ArrayObject | IndirectObject):
                    stack.append(value)
        elif isinstance(item, ArrayObject):
            stack.extend(v for v in item if isinstance(v, DictionaryObject | ArrayObject | IndirectObject))
    return None


# -- images ----------------------------------------------------------------------------------------------------

_DECODING = threading.Lock()


@contextlib.contextmanager
def _whole_images_only() -> Iterator[None]:
    """Pillow pads a truncated image instead of failing when its process-wide LOAD_TRUNCATED_IMAGES is on, and
    WeasyPrint turns it on when imported (for broken images in HTML). Evidence must decode whole or be refused:
    it is off while one is decoded (one at a time). The documents WeasyPrint renders here have no raster images,
    so a rendering at the same moment does not depend on it."""
    from PIL import ImageFile

    with _DECODING:
        previous = ImageFile.LOAD_TRUNCATED_IMAGES
        ImageFile.LOAD_TRUNCATED_IMAGES = False
        try:
            yield
        finally:
            ImageFile.LOAD_TRUNCATED_IMAGES = previous


def reencoded_image(*, name: str, data: bytes, extension: str) -> bytes:
    """Decode (after checking the size in the header) and encode again from the pixels alone."""
    with _whole_images_only():
        return _reencoded(name=name, data=data, fmt={"png": "PNG", "jpg": "JPEG"}[extension],
                          limit=get_settings().attachment_max_pixels)


def _reencoded(*, name: str, data: bytes, fmt: str, limit: int) -> bytes:
    from PIL import Image, ImageOps

    try:
        with Image.open(io.BytesIO(data), formats=[fmt]) as probe:
            width, height = probe.size
            if width * height > limit:
                raise AttachmentRefused("appeal_file_image_too_large", name=name, size=f"{width}×{height}",
                                        limit=_pixels(limit))
            probe.verify()  # PNG: every chunk's checksum
        with Image.open(io.BytesIO(data), formats=[fmt]) as image:
            image.load()  # a truncated or corrupt image fails here
            transparency = image.info.get("transparency")
            # Turned as the camera meant it (the EXIF orientation is not kept); a copy only when it must turn.
            upright = ImageOps.exif_transpose(image) if image.getexif().get(0x0112, 1) != 1 else image
            upright.info = {}  # no EXIF, XMP, comment, text chunk or ICC profile is carried over
            out = io.BytesIO()
            if fmt == "PNG":
                upright.save(out, "PNG", **({"transparency": transparency} if transparency is not None else {}))
            else:
                if upright.mode not in ("L", "RGB", "CMYK"):
                    upright = upright.convert("RGB")
                upright.save(out, "JPEG", quality=JPEG_QUALITY)
            return out.getvalue()
    except AttachmentRefused:
        raise
    except Image.DecompressionBombError as exc:
        raise AttachmentRefused("appeal_file_image_too_large", name=name,
                                size=_pixels(2 * (Image.MAX_IMAGE_PIXELS or 0), over=True),
                                limit=_pixels(limit)) from exc
    except Exception as exc:  # noqa: BLE001  (Pillow raises many kinds of errors on malformed input)
        raise AttachmentRefused("appeal_file_image_unreadable", name=name) from exc


def _pixels(count: int, *, over: bool = False) -> Localized:
    zh, en = f"{count / 10_000:g} 万像素", f"{count / 1_000_000:g} million pixels"
    return Localized(zh=f"超过 {zh}", en=f"over {en}") if over else Localized(zh=zh, en=en)
