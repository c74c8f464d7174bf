"""Notices and bulletins to PDF/A-3b bytes: Jinja2 templates and one WeasyPrint font configuration per process.

Rendering is deterministic: the same notice gives the same bytes. The PDF's dates are the issue date (not the
time of rendering) and its file identifier is derived from the document number, so a stored hash can be checked
by rendering again.
"""

from __future__ import annotations

import atexit
import datetime as dt
import hashlib
import multiprocessing
import os
import threading
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, fields, is_dataclass, replace
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup, escape

from reports import fonts
from reports.model import AppealRecord, Bulletin, Commitment, Lang, Notice, RepairDecision
from reports.texts import TEXT

TEMPLATES = Path(__file__).resolve().parent / "templates"
PDF_VARIANT = "pdf/a-3b"
HTML_LANG = {"zh": "zh-CN", "en": "en"}

Document = Notice | Bulletin | AppealRecord | RepairDecision | Commitment


def format_date(value: dt.date, lang: Lang = "zh") -> str:
    """Arabic numerals, no leading zeros in Chinese: 2025年7月8日."""
    return TEXT[lang]["date"].format(y=value.year, m=value.month, d=value.day)


def url_tokens(url: str) -> Markup:
    """The address as unbreakable tokens with a break opportunity only after each "/"."""
    parts = url.split("/")
    pieces = [f"{part}/" for part in parts[:-1]] + [parts[-1]]
    return Markup("<wbr>").join(Markup('<span class="token">{}</span>').format(p) for p in pieces if p)


def tokens_join(values: Sequence[str], separator: str) -> Markup:
    """Record numbers joined by the separator; each number unbreakable (XC2025-00017 never splits at "-")."""
    return Markup(escape(separator)).join(Markup('<span class="record">{}</span>').format(v) for v in values)


def qr_data_uri(text: str) -> str:
    """A QR code (error correction M) as an SVG data URI, drawn as vectors in the PDF."""
    import segno

    return segno.make(text, error="m", micro=False, mask=0).png_data_uri(scale=8, border=2)


def _drawable(value: Any) -> Any:
    """The same data with every string made drawable (see `fonts.drawable`)."""
    if isinstance(value, str):
        return fonts.drawable(value)
    if isinstance(value, list):
        return [_drawable(v) for v in value]
    if isinstance(value, tuple):
        return tuple(_drawable(v) for v in value)
    if is_dataclass(value) and not isinstance(value, type):
        return replace(value, **{f.name: _drawable(getattr(value, f.name)) for f in fields(value) if f.init})
    return value


class _DefaultLevelZlib:
    """zlib as pydyf sees it, with compressobj at zlib's default level instead of pydyf's fixed level 9.

    Level 9 costs about 10 ms more per notice (a tenth of a render) for 0.3 % smaller files; the bytes stay
    deterministic. Everything else is zlib itself.
    """

    def __getattr__(self, name: str) -> Any:
        return getattr(zlib, name)

    @staticmethod
    def compressobj(level: int = -1, *args: Any, **kwargs: Any) -> Any:
        return zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, *args, **kwargs)


def _default_compression() -> None:
    import pydyf

    if getattr(pydyf, "zlib", None) is zlib:
        pydyf.zlib = _DefaultLevelZlib()


class Renderer:
    """Holds what is expensive to make: the font configuration, the compiled stylesheet, the templates.

    One per process (WeasyPrint's FontConfiguration is not shared between processes or threads); use
    `renderer()` to get this process's.
    """

    def __init__(self) -> None:
        from weasyprint import CSS
        from weasyprint.text.fonts import FontConfiguration

        _default_compression()
        self.font_config = FontConfiguration()
        style = (TEMPLATES / "style.css").read_text(encoding="utf-8")
        self.stylesheet = CSS(string=fonts.stylesheet(style), font_config=self.font_config)
        self.env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True,
                                      undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
        self.env.filters["markup"] = Markup
        self.env.globals.update(url_tokens=url_tokens, tokens_join=tokens_join)
        # Made here with the notices' style, not on first use: later in a long test run the font configuration's
        # temporary folder was gone (after render pools had run) and adding the font faces failed.
        report_style = (TEMPLATES / "report.css").read_text(encoding="utf-8")
        self.report_stylesheet = CSS(string=fonts.stylesheet(report_style), font_config=self.font_config)
        self.lock = threading.Lock()

    def html(self, document: Document) -> str:
        """The HTML a document is rendered from (useful to look at, and for tests of wording)."""
        document = _drawable(document)
        lang = document.lang
        t = TEXT[lang]
        common = {"t": t, "html_lang": HTML_LANG[lang], "date": lambda d: format_date(d, lang),
                  "timestamp": f"{document.issue_date.isoformat()}T00:00:00+08:00"}
        if isinstance(document, Notice):
            title = t["revised_title"] if document.revision else t["notice_title"]
            subject = t["subject_notice"].format(company=document.company_name, cycle=document.cycle_name)
            return self.env.get_template("notice.html").render(
                n=document, title=title, subject=subject, qr=qr_data_uri(document.verification_url), **common)
        if isinstance(document, AppealRecord):
            subject = t["subject_record"].format(company=document.company_name, cycle=document.cycle_name)
            return self.env.get_template("appeal_record.html").render(
                a=document, title=t["record_title"], subject=subject, qr=qr_data_uri(document.verification_url),
                **common)
        if isinstance(document, RepairDecision):
            subject = t["subject_repair"].format(company=document.company_name, cycle=document.cycle_name)
            return self.env.get_template("repair_decision.html").render(
                r=document, title=t["repair_title"], subject=subject, no_verification=t["repair_no_verification"],
                qr=qr_data_uri(document.verification_url), **common)
        if isinstance(document, Commitment):
            subject = t["subject_commitment"].format(company=document.company_name, cycle=document.cycle_name,
                                                     mark=document.mark)
            at = dt.datetime.fromisoformat(document.signed_at)
            when = t["commitment_when"].format(y=at.year, m=at.month, d=at.day, hh=at.hour, mm=at.minute)
            common["timestamp"] = at.isoformat()
            return self.env.get_template("commitment.html").render(
                c=document, title=t["commitment_title"], subject=subject,
                signed=t["commitment_signed"].format(credit_code=document.credit_code, when=when), **common)
        counts = [t["grade_count"].format(grade=g, count=c) for g, c in document.grade_counts]
        subject = t["subject_bulletin"].format(cycle=document.cycle_name)
        qr = qr_data_uri(document.verification_url) if document.verification_code else ""
        return self.env.get_template("bulletin.html").render(
            b=document, title=t["bulletin_title"], subject=subject, counts=counts, qr=qr, **common)

    def pdf(self, document: Document) -> bytes:
        from weasyprint import HTML

        source = self.html(document)
        # A commitment has no number: its company and request name it.
        key = (f"commitment|{document.credit_code}|{document.request_id}" if isinstance(document, Commitment)
               else f"{document.doc_number}|{document.issue_date}")
        identifier = hashlib.md5(key.encode(),
                                 usedforsecurity=False).hexdigest().encode()
        with self.lock:
            return HTML(string=source, base_url=str(TEMPLATES)).write_pdf(
                stylesheets=[self.stylesheet], font_config=self.font_config, pdf_variant=PDF_VARIANT,
                pdf_identifier=identifier, uncompressed_pdf=False)


    def report_pdf(self, template: str, context: dict[str, Any], *, identifier: str) -> bytes:
        """An analytic report (plain data in ``context``), rendered with the report style and the shipped fonts.
        Not PDF/A: it is a working document, not an issued one; ``identifier`` fixes the PDF's /ID."""
        from weasyprint import HTML

        source = self.env.get_template(template).render(**context)
        with self.lock:
            return HTML(string=source, base_url=str(TEMPLATES)).write_pdf(
                stylesheets=[self.report_stylesheet], font_config=self.font_config,
                pdf_identifier=hashlib.md5(identifier.encode(), usedforsecurity=False).hexdigest().encode())


_renderers: dict[int, Renderer] = {}
# Drop the renderer before the interpreter tears modules down: WeasyPrint's FontConfiguration.__del__ removes
# its temporary folder and fails noisily ("Exception ignored …") once shutil has been unloaded.
atexit.register(_renderers.clear)


def renderer() -> Renderer:
    """This process's renderer (made on first use; a forked child makes its own)."""
    pid = os.getpid()
    if pid not in _renderers:
        _renderers.clear()
        _renderers[pid] = Renderer()
    return _renderers[pid]


def render_notice(notice: Notice) -> bytes:
    return renderer().pdf(notice)


def render_bulletin(bulletin: Bulletin) -> bytes:
    return renderer().pdf(bulletin)


def render(document: Document) -> bytes:
    return renderer().pdf(document)


def render_report(template: str, context: dict[str, Any], *, identifier: str) -> bytes:
    return renderer().report_pdf(template, context, identifier=identifier)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True)
class Rendered:
    index: int
    pdf: bytes
    sha256: str


def _render_one(item: tuple[int, Document]) -> Rendered:
    index, document = item
    data = render(document)
    return Rendered(index=index, pdf=data, sha256=sha256(data))


def _warm() -> None:
    renderer()


def _context() -> multiprocessing.context.BaseContext:
    # fork is cheapest, but not safe from a threaded process (the web server): there, a fork server that has
    # imported this module hands out fresh children. Decided at every call: a process may start threads later.
    if threading.active_count() == 1 and "fork" in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("fork")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["reports.render", "weasyprint"])
    return context


def render_many(documents: Sequence[Document], *, processes: int | None = None,
                progress: Callable[[int], None] | None = None, chunksize: int = 4) -> Iterator[Rendered]:
    """Render documents in parallel worker processes, one font configuration each; yields in completion order.

    `processes` defaults to the CPU count; with one process (or a handful of documents) it renders here.
    `progress(n)` is called after each finished document with the number finished so far.
    """
    processes = processes or os.cpu_count() or 1
    items: Iterable[tuple[int, Document]] = list(enumerate(documents))
    done = 0
    if processes <= 1 or len(documents) <= 2:
        for item in items:
            result = _render_one(item)
            done += 1
            if progress:
                progress(done)
            yield result
        return
    context = _context()
    if context.get_start_method() == "fork":
        import weasyprint  # noqa: F401  (imported once here, inherited by every forked worker)
    with context.Pool(processes=min(processes, len(documents)), initializer=_warm) as pool:
        for result in pool.imap_unordered(_render_one, items, chunksize=chunksize):
            done += 1
            if progress:
                progress(done)
            yield result
