"""Appeal attachments: PDFs that can run or open something are refused; images are stored re-encoded, so that
trailing payloads (polyglots) and metadata (EXIF GPS) never reach the disk."""

from __future__ import annotations

import io
import struct
import time
import zlib
from typing import Any

import pytest
from PIL import Image
from pypdf import PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, NumberObject, TextStringObject

from rating_service.appeals import evidence
from rating_service.appeals.evidence import AttachmentRefused
from rating_service.settings import get_settings
from tests import factories as f

SCRIPT = b"<html><body><script>alert(document.cookie)</script></body></html>"


def _pdf(build: Any) -> bytes:
    """A one-page PDF that ``build(writer)`` adds something to."""
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    build(writer)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _action(kind: str, **entries: Any) -> DictionaryObject:
    action = DictionaryObject({NameObject("/Type"): NameObject("/Action"), NameObject("/S"): NameObject(kind)})
    action.update({NameObject(f"/{k}"): v for k, v in entries.items()})
    return action


def _open_action_javascript(writer: PdfWriter) -> None:
    writer.root_object[NameObject("/OpenAction")] = _action("/JavaScript", JS=TextStringObject("app.alert(1);"))


def _page_launch_action(writer: PdfWriter) -> None:
    # The page's "open" additional action starts a program.
    writer.pages[0][NameObject("/AA")] = DictionaryObject({NameObject("/O"): _action(
        "/Launch", F=TextStringObject("C:\\Windows\\System32\\calc.exe"))})


def _embedded_file(writer: PdfWriter) -> None:
    writer.add_attachment("invoice.exe", b"MZ\x90\x00 not really a program")


def _document_javascript(writer: PdfWriter) -> None:
    # Document-level script: the /JavaScript name tree of the catalog, run when the file opens.
    script = writer._add_object(_action("/JavaScript", JS=TextStringObject("this.print({bUI: false});")))
    writer.root_object[NameObject("/Names")] = DictionaryObject({NameObject("/JavaScript"): DictionaryObject({
        NameObject("/Names"): ArrayObject([TextStringObject("init"), script])})})


def _xfa_form(writer: PdfWriter) -> None:
    writer.root_object[NameObject("/AcroForm")] = DictionaryObject({
        NameObject("/Fields"): ArrayObject(), NameObject("/XFA"): TextStringObject("<xdp:xdp/>")})


def _link_annotation_submitting_a_form(writer: PdfWriter) -> None:
    link = DictionaryObject({
        NameObject("/Type"): NameObject("/Annot"), NameObject("/Subtype"): NameObject("/Link"),
        NameObject("/Rect"): ArrayObject([NumberObject(0), NumberObject(0), NumberObject(100), NumberObject(100)]),
        NameObject("/A"): _action("/SubmitForm", F=TextStringObject("https://example.invalid/collect"))})
    writer.pages[0][NameObject("/Annots")] = ArrayObject([writer._add_object(link)])


def _harmless_actions(writer: PdfWriter) -> None:
    # Opening at the first page and a web link are what printed and scanned documents carry.
    writer.root_object[NameObject("/OpenAction")] = ArrayObject([writer.pages[0].indirect_reference,
                                                                 NameObject("/Fit")])
    writer.add_uri(0, "https://www.zongyang.gov.cn/", [10, 10, 200, 40])


def _raw_pdf(*objects: bytes) -> bytes:
    """A PDF written by hand (objects numbered from 1, object 1 the catalog), with a correct cross-reference table."""
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


PAGES = (b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
         b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>")


def _png(width: int, height: int, idat: bytes = b"") -> bytes:
    """A PNG header declaring ``width`` × ``height`` with little or no pixel data: how a pixel bomb starts."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)  # 8-bit greyscale
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(idat)) + chunk(b"IEND", b"")


def _check(name: str, data: bytes) -> evidence.Evidence:
    from rating_service.appeals.service import sniff

    sniffed = sniff(data)
    assert sniffed is not None
    return evidence.checked(name=name, data=data, content_type=sniffed[0], extension=sniffed[1])


def _refusal(name: str, data: bytes) -> AttachmentRefused:
    with pytest.raises(AttachmentRefused) as refused:
        _check(name, data)
    assert refused.value.status_code == 400 and name in refused.value.message("zh")
    return refused.value


# -- PDF -----------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("build", "words"), [
    (_open_action_javascript, "脚本（JavaScript）"),
    (_document_javascript, "脚本（JavaScript）"),
    (_page_launch_action, "启动其他程序的动作（Launch）"),
    (_embedded_file, "嵌入的文件"),
    (_xfa_form, "XFA 动态表单"),
    (_link_annotation_submitting_a_form, "提交或导入表单数据的动作"),
])
def test_a_pdf_that_can_run_or_open_something_is_refused_naming_the_file_and_what_it_carries(build, words):
    refused = _refusal("证明材料.pdf", _pdf(build))
    assert refused.key == "appeal_file_pdf_active"
    assert f"附件“证明材料.pdf”含有{words}" in refused.message("zh")
    assert "Attachment '证明材料.pdf' contains" in refused.message("en")


def test_active_content_is_found_when_hidden_in_an_escaped_name_or_an_object_no_page_points_to():
    escaped = _raw_pdf(b"<< /Type /Catalog /Pages 2 0 R /OpenAction 4 0 R >>", *PAGES[1:],
                       b"<< /S /JavaScript /J#53 (app.alert\\(1\\)) >>")
    assert _refusal("a.pdf", escaped).key == "appeal_file_pdf_active"
    orphan = _raw_pdf(*PAGES, b"<< /S /Launch /F (cmd.exe) >>")  # listed in the xref, reachable from nothing
    assert "Launch" in _refusal("b.pdf", orphan).message("zh")


def test_a_clean_pdf_is_accepted_and_stored_unchanged():
    for data in (f.pdf_file(pages=3), _pdf(_harmless_actions), _raw_pdf(*PAGES)):
        kept = _check("合同.pdf", data)
        assert (kept.data, kept.content_type, kept.extension) == (data, "application/pdf", "pdf")


def test_an_encrypted_unreadable_or_overlong_pdf_is_refused_with_its_reason(monkeypatch):
    encrypted = _pdf(lambda w: w.encrypt(user_password="", owner_password="owner", algorithm="RC4-128"))
    assert _refusal("加密.pdf", encrypted).key == "appeal_file_pdf_encrypted"
    for broken in (b"%PDF-1.7\n" + b"\x00garbage" * 50, f.pdf_file()[:200]):
        refused = _refusal("坏.pdf", broken)
        assert refused.key == "appeal_file_pdf_unreadable" and "无法作为 PDF 读取" in refused.message("zh")
    monkeypatch.setenv("RATING_ATTACHMENT_PDF_MAX_PAGES", "2")
    get_settings.cache_clear()
    try:
        refused = _refusal("长.pdf", f.pdf_file(pages=3))
        assert refused.key == "appeal_file_pdf_too_many_pages" and "有 3 页，超过 2 页" in refused.message("zh")
        assert _check("短.pdf", f.pdf_file(pages=2)).extension == "pdf"
    finally:
        monkeypatch.delenv("RATING_ATTACHMENT_PDF_MAX_PAGES")
        get_settings.cache_clear()


# -- images --------------------------------------------------------------------------------------------------------

def test_a_png_with_html_appended_is_stored_as_the_picture_alone():
    picture = f.image_file("PNG")
    polyglot = picture + SCRIPT
    kept = _check("现场照片.png", polyglot)
    assert b"<script" not in kept.data and b"<html" not in kept.data
    assert (kept.content_type, kept.extension) == ("image/png", "png")
    with Image.open(io.BytesIO(kept.data)) as stored, Image.open(io.BytesIO(picture)) as original:
        assert stored.format == "PNG" and stored.size == original.size
        assert stored.convert("RGB").tobytes() == original.convert("RGB").tobytes()  # the same pixels


def test_text_chunks_and_comments_carrying_script_are_dropped():
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", SCRIPT.decode())
    assert b"<script" in f.image_file("PNG", pnginfo=info)
    assert b"<script" not in _check("a.png", f.image_file("PNG", pnginfo=info)).data
    assert b"<script" in f.image_file("JPEG", comment=SCRIPT)
    assert b"<script" not in _check("b.jpg", f.image_file("JPEG", comment=SCRIPT)).data


def _gps_exif(orientation: int = 1) -> Image.Exif:
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0112] = orientation
    exif[0x8825] = {1: "N", 2: (30.0, 41.0, 52.5), 3: "E", 4: (117.0, 12.0, 3.25)}  # GPS: 枞阳县城
    return exif


def test_a_jpeg_is_stored_without_its_exif_and_gps_position():
    photo = f.image_file("JPEG", size=(80, 40), exif=_gps_exif())
    with Image.open(io.BytesIO(photo)) as original:
        assert original.getexif().get_ifd(0x8825)  # the phone's position is in the upload
    kept = _check("照片.JPG", photo)
    assert b"Exif" not in kept.data and b"PhoneMaker" not in kept.data
    with Image.open(io.BytesIO(kept.data)) as stored:
        assert stored.format == "JPEG" and stored.size == (80, 40)
        assert dict(stored.getexif()) == {} and not stored.getexif().get_ifd(0x8825)


def test_a_photo_taken_sideways_is_stored_upright():
    sideways = f.image_file("JPEG", size=(80, 40), exif=_gps_exif(orientation=6))  # "rotate 90° to view"
    with Image.open(io.BytesIO(_check("照片.jpg", sideways).data)) as stored:
        assert stored.size == (40, 80) and dict(stored.getexif()) == {}


def test_a_pixel_bomb_is_refused_before_it_is_decoded():
    started = time.monotonic()
    huge = _png(100_000, 100_000)  # ten billion pixels in a few dozen bytes
    refused = _refusal("bomb.png", huge)
    assert refused.key == "appeal_file_image_too_large"
    over_ours = _png(10_000, 6_000)  # 60 million pixels: Pillow would decode it, the setting (50 million) not
    assert "10000×6000" in _refusal("big.png", over_ours).message("zh")
    assert time.monotonic() - started < 2


def test_the_pixel_limit_is_a_setting(monkeypatch):
    monkeypatch.setenv("RATING_ATTACHMENT_MAX_PIXELS", "1000")
    get_settings.cache_clear()
    try:
        refused = _refusal("小图.png", f.image_file("PNG", size=(64, 48)))
        assert "64×48" in refused.message("zh") and "0.1 万像素" in refused.message("zh")
        assert _check("更小.png", f.image_file("PNG", size=(20, 20))).extension == "png"
    finally:
        monkeypatch.delenv("RATING_ATTACHMENT_MAX_PIXELS")
        get_settings.cache_clear()


def test_a_truncated_or_corrupt_image_is_refused(monkeypatch):
    from PIL import ImageFile

    # WeasyPrint, once imported, lets Pillow pad truncated images process-wide; evidence is decoded whole anyway.
    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", True)
    jpeg = f.image_file("JPEG", size=(200, 200), quality=95)
    png = f.image_file("PNG", size=(200, 200))
    corrupt = bytearray(png)
    corrupt[len(png) // 2] ^= 0xFF  # a flipped byte inside the pixel data: its chunk's checksum fails
    for name, data in (("a.jpg", jpeg[: len(jpeg) * 2 // 3]), ("b.png", png[: len(png) // 2]),
                       ("c.png", bytes(corrupt)), ("d.png", _png(100, 100, idat=b"\x00" * 10))):
        refused = _refusal(name, data)
        assert refused.key == "appeal_file_image_unreadable", name
        assert "已损坏或不完整" in refused.message("zh")
    assert ImageFile.LOAD_TRUNCATED_IMAGES is True  # as it was


# -- through the API -------------------------------------------------------------------------------------------

def _file(client: Any, cycle_id: int, files: list[tuple[str, bytes]]) -> Any:
    return client.post(f"/api/v1/cycles/{cycle_id}/appeals", data={"grounds": "计算有误。", "scope": "calculation"},
                       files=[("files", (name, content, "application/octet-stream")) for name, content in files])


def test_filing_refuses_a_pdf_with_javascript_and_stores_nothing(database, published):
    client = f.api_client(database, "company")
    before = sorted(get_settings().attachments_dir.iterdir())
    response = _file(client, published.cycle_id, [("照片.png", f.image_file("PNG")),
                                                  ("合同.pdf", _pdf(_open_action_javascript))])
    assert response.status_code == 400, response.text
    assert response.json()["code"] == "appeal_refused"
    assert "附件“合同.pdf”含有脚本（JavaScript）" in response.json()["message"]
    english = client.post(f"/api/v1/cycles/{published.cycle_id}/appeals",
                          data={"grounds": "x", "scope": "calculation"}, headers={"Accept-Language": "en"},
                          files=[("files", ("合同.pdf", _pdf(_page_launch_action), "application/pdf"))])
    assert english.status_code == 400
    assert "Attachment '合同.pdf' contains an action that starts a program" in english.json()["message"]
    assert client.get(f"/api/v1/cycles/{published.cycle_id}/appeals").json()["items"] == []
    assert sorted(get_settings().attachments_dir.iterdir()) == before


def test_filing_stores_the_re_encoded_image_and_its_hash(database, published):
    import hashlib

    client = f.api_client(database, "company")
    response = _file(client, published.cycle_id, [("现场.png", f.image_file("PNG") + SCRIPT),
                                                  ("照片.jpg", f.image_file("JPEG", exif=_gps_exif()))])
    assert response.status_code == 201, response.text
    for item in response.json()["attachments"]:
        stored = client.get(item["url"]).content
        assert b"<script" not in stored and b"Exif" not in stored
        assert (item["size"], item["sha256"]) == (len(stored), hashlib.sha256(stored).hexdigest())
        with Image.open(io.BytesIO(stored)) as image:
            assert image.format == {"image/png": "PNG", "image/jpeg": "JPEG"}[item["content_type"]]
