"""`rating intake` commands of this module (see rating_service/cli/intake.py)."""

from __future__ import annotations

from rating_service.cli.intake import app  # noqa: F401  (commands register on the group)
