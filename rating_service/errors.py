"""One error hierarchy for the service; the web handler and the CLI render it the same way."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from rating_service.i18n import Lang, translate


class RatingServiceError(Exception):
    """An error a user can act on. ``key`` names a message of the catalogue in i18n."""

    status_code = 400
    code = "error"

    def __init__(self, key: str, /, **params: Any) -> None:
        super().__init__(key)
        self.key = key
        self.params = params

    def message(self, lang: Lang = "zh") -> str:
        return translate(self.key, lang, **self.params)

    def details(self, lang: Lang = "zh") -> list[dict[str, Any]]:
        return []

    def __str__(self) -> str:
        return self.message("zh")


class NotFound(RatingServiceError):
    status_code = 404
    code = "not_found"


class Forbidden(RatingServiceError):
    status_code = 403
    code = "forbidden"


class Unauthorized(RatingServiceError):
    status_code = 401
    code = "unauthorized"


class TooManyAttempts(RatingServiceError):
    status_code = 429
    code = "too_many_attempts"


class Conflict(RatingServiceError):
    status_code = 409
    code = "conflict"


class InvalidTransition(RatingServiceError):
    status_code = 409
    code = "invalid_transition"


class PayloadInvalid(RatingServiceError):
    status_code = 422
    code = "payload_invalid"


class BodyTooLarge(RatingServiceError):
    status_code = 413
    code = "body_too_large"


class ControlCharacters(RatingServiceError):
    status_code = 422
    code = "control_characters"


class MethodNotAllowed(RatingServiceError):
    status_code = 405
    code = "method_not_allowed"


class DatabaseUnavailable(RatingServiceError):
    status_code = 503
    code = "database_unavailable"
    retry_after = 5  # seconds, sent as Retry-After


class InternalError(RatingServiceError):
    status_code = 500
    code = "internal_error"
class Misconfigured(RatingServiceError):
    """The server's own configuration is wrong (e.g. the audit key cannot be read): nothing the user can fix."""

    status_code = 500
    code = "misconfigured"


@dataclass(frozen=True)
class RowError:
    """One problem in one cell of an imported file. ``row`` is the spreadsheet row number."""

    file: str
    row: int | None
    column: str | None
    value: str | None
    key: str
    params: dict[str, Any] = field(default_factory=dict)

    def as_dict(self, lang: Lang = "zh", column_label: str | None = None) -> dict[str, Any]:
        return {
            "file": self.file,
            "row": self.row,
            "column": column_label or self.column,
            "value": self.value,
            "reason": translate(self.key, lang, **self.params),
            "code": self.key,
        }


class ImportRejected(RatingServiceError):
    """A file (or a set of files) failed validation; nothing was written."""

    status_code = 400  # the request is well formed; its file content is not (422 is for malformed payloads)
    code = "import_rejected"

    def __init__(self, errors: list[RowError], *, labels: dict[tuple[str, str], dict[str, str]] | None = None,
                 key: str = "import_rejected"):
        super().__init__(key, count=len(errors))
        self.errors = errors
        # (file, column) -> {"zh": ..., "en": ...} header labels for display
        self.labels = labels or {}

    def details(self, lang: Lang = "zh") -> list[dict[str, Any]]:
        out = []
        for err in self.errors:
            label = None
            if err.column is not None:
                label = self.labels.get((err.file, err.column), {}).get(lang)
            out.append(err.as_dict(lang, label))
        return out
