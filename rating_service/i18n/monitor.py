"""Early warning (预警): its messages and the words of its pages and weekly summary."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    # -- monitor
}

# The words of the early-warning pages (officer page, weekly summary, a company's own running position).
PAGE_TEXT: dict[str, dict[str, str]] = {
    "title": {"zh": "信用预警", "en": "Early warning"},
    # -- monitor
}
