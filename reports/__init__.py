"""The pure reports room: plain data in, PDF bytes out (Jinja2 + WeasyPrint); no database."""

from reports.model import (
    AppealRecord,
    Bulletin,
    BulletinRow,
    ContestedItem,
    IndicatorRow,
    Issuer,
    Notice,
    ReasonRow,
    Revision,
)
from reports.render import Rendered, format_date, render, render_bulletin, render_many, render_notice, renderer

__all__ = [
    "AppealRecord", "Bulletin", "BulletinRow", "ContestedItem", "IndicatorRow", "Issuer", "Notice", "ReasonRow",
    "Revision", "Rendered", "format_date", "render", "render_bulletin", "render_many", "render_notice", "renderer",
]
