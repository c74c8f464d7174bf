"""The bounds every import keeps, read once from settings and handed to the reader and the validators.

The reader and the validators take them as a parameter (not from settings) so that they stay plain functions of
their input; the CLI, the HTTP route and `rating score --data` all build them with ``from_settings``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from rating_service.settings import Settings, get_settings

MIB = 1024 * 1024


@dataclass(frozen=True)
class ImportLimits:
    max_file_bytes: int = 200 * MIB
    max_rows: int = 1_000_000
    max_cell_chars: int = 32_767
    xlsx_max_unpacked_bytes: int = 1024 * MIB
    xlsx_max_ratio: int = 100
    xlsx_max_parts: int = 1_000
    errors_per_reason: int = 100
    echo_chars: int = 100
    personal_data: Literal["refuse", "mask"] = "refuse"

    @classmethod
    def from_settings(cls, settings: Settings | None = None) -> ImportLimits:
        settings = settings or get_settings()
        return cls(
            max_file_bytes=settings.upload_limit_mb * MIB,
            max_rows=settings.import_max_rows,
            max_cell_chars=settings.import_max_cell_chars,
            xlsx_max_unpacked_bytes=settings.import_xlsx_max_unpacked_mb * MIB,
            xlsx_max_ratio=settings.import_xlsx_max_ratio,
            xlsx_max_parts=settings.import_xlsx_max_parts,
            errors_per_reason=settings.import_errors_per_reason,
            echo_chars=settings.import_echo_chars,
            personal_data=settings.personal_data_in_values,
        )

    def echo(self, value: str) -> str:
        """A value as an error message shows it: personal data masked, cut to ``echo_chars`` characters."""
        from rating_service.records.personal_data import mask_text

        # Mask before cutting (a cut number would no longer be recognised); a number is shorter than the margin,
        # so one starting inside the shown part is masked whole.
        shown = mask_text(value[:self.echo_chars + 32])
        return shown if len(shown) <= self.echo_chars else shown[:self.echo_chars] + "…"
