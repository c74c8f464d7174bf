"""One error hierarchy for the service; the web handler and the CLI render it the same way."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from typing import Any

from rating_service.i18n import MESSAGES, Lang, translate


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

    def extra(self, lang: Lang = "zh") -> dict[str, Any]:
        """Fields an error answer of the API carries besides code, message and details (none by default)."""
        return {}

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


ErrorGroup = tuple[str, str | None, str]  # (file, column, reason key)


class RowErrors(list[RowError]):
    """The errors of an import, bounded: the first ``per_reason`` of each (file, column, reason) are kept, with the
    echoed value passed through ``echo`` (cut short, personal data masked); the rest are only counted. A million bad
    rows then cost a few hundred kept errors and a handful of counters."""

    def __init__(self, errors: Iterable[RowError] = (), *, per_reason: int = 100,
                 echo: Callable[[str], str] | None = None) -> None:
        super().__init__()
        self.per_reason = per_reason
        self.echo = echo
        self.kept: dict[ErrorGroup, int] = {}
        self.omitted: dict[ErrorGroup, int] = {}
        self.extend(errors)

    def room(self, file: str, column: str | None, key: str) -> int:
        """How many more errors of this group are kept."""
        return max(0, self.per_reason - self.kept.get((file, column, key), 0))

    def omit(self, file: str, column: str | None, key: str, count: int) -> None:
        """Count ``count`` errors of a group without keeping them."""
        if count > 0:
            group = (file, column, key)
            self.omitted[group] = self.omitted.get(group, 0) + count

    def append(self, error: RowError) -> None:
        group = (error.file, error.column, error.key)
        if self.kept.get(group, 0) >= self.per_reason:
            self.omit(*group, 1)
            return
        self.kept[group] = self.kept.get(group, 0) + 1
        if error.value is not None and self.echo is not None:
            error = replace(error, value=self.echo(error.value))
        super().append(error)

    def extend(self, errors: Iterable[RowError]) -> None:
        for error in errors:
            self.append(error)

    def absorb(self, other: RowErrors, *, skip: Callable[[RowError], bool] | None = None) -> None:
        """Take another collection's kept errors (but those ``skip`` names) and its counts."""
        self.extend(e for e in other if skip is None or not skip(e))
        for group, count in other.omitted.items():
            self.omit(*group, count)

    @property
    def total(self) -> int:
        return len(self) + sum(self.omitted.values())

    def __bool__(self) -> bool:  # errors that were only counted are errors too
        return self.total > 0


# An answer (API, page, terminal) lists at most this many errors of each (file, column, reason) and counts the rest;
# the XLSX list of a rejected import has every error kept (``Settings.import_errors_per_reason`` of each).
DETAILS_PER_GROUP = 100
GROUP_ROWS_SHOWN = 5  # rows named in a group's line ("如第 2、3、5 行…")


class ImportRejected(RatingServiceError):
    """A file (or a set of files) failed validation; nothing was written."""

    status_code = 400  # the request is well formed; its file content is not (422 is for malformed payloads)
    code = "import_rejected"

    def __init__(self, errors: list[RowError], *, labels: dict[tuple[str, str], dict[str, str]] | None = None,
                 key: str = "import_rejected"):
        self.omitted = dict(errors.omitted) if isinstance(errors, RowErrors) else {}
        super().__init__(key, count=len(errors) + sum(self.omitted.values()))
        self.errors = list(errors)
        # (file, column) -> {"zh": ..., "en": ...} header labels for display
        self.labels = labels or {}

    def _label(self, file: str, column: str | None, lang: Lang) -> str | None:
        if column is None:
            return None
        return self.labels.get((file, column), {}).get(lang)

    def details(self, lang: Lang = "zh", per_group: int | None = DETAILS_PER_GROUP) -> list[dict[str, Any]]:
        """The kept errors, at most ``per_group`` of each (file, column, reason) (None: all of them, as the XLSX
        list has them), then one line per (file, column, reason) whose further errors are only counted here:
        ``omitted`` says how many, ``code`` names the reason."""
        out = []
        shown: dict[ErrorGroup, int] = {}
        omitted = dict(self.omitted)
        for err in self.errors:
            group = (err.file, err.column, err.key)
            if per_group is not None and shown.get(group, 0) >= per_group:
                omitted[group] = omitted.get(group, 0) + 1
                continue
            shown[group] = shown.get(group, 0) + 1
            out.append(err.as_dict(lang, self._label(err.file, err.column, lang)))
        examples = {(e.file, e.column, e.key): e for e in self.errors}
        for (file, column, key), count in omitted.items():
            example = examples.get((file, column, key))
            reason = translate(key, lang, **(example.params if example else {}))
            out.append({"file": file, "row": None, "column": self._label(file, column, lang) or column,
                        "value": None, "reason": translate("errors_omitted", lang, count=f"{count:,}", reason=reason),
                        "code": key, "omitted": count})
        return out

    def groups(self, lang: Lang = "zh") -> list[dict[str, Any]]:
        """The errors grouped by (file, column, reason), in the order of their first row: how many (listed and only
        counted), the first rows, the reason in words (one wording for the whole group) and a line saying it all."""
        order: list[ErrorGroup] = []
        listed: dict[ErrorGroup, list[RowError]] = {}
        for err in self.errors:
            group = (err.file, err.column, err.key)
            if group not in listed:
                order.append(group)
                listed[group] = []
            listed[group].append(err)
        order.extend(g for g in self.omitted if g not in listed)
        files = {file for file, _column, _key in order}
        out = []
        for group in order:
            file, column, key = group
            errors = listed.get(group, [])
            count = len(errors) + self.omitted.get(group, 0)
            rows = sorted({e.row for e in errors if e.row is not None})
            params = errors[0].params if errors else {}
            reason = translate(f"error_group.{key}" if f"error_group.{key}" in MESSAGES else key, lang, **params)
            label = self._label(file, column, lang) or column
            if label and rows:
                shown = translate("list_separator", lang).join(str(r) for r in rows[:GROUP_ROWS_SHOWN])
                more = translate("error_group.more", lang) if count > min(len(rows), GROUP_ROWS_SHOWN) else ""
                line = translate("error_group.line", lang, column=label, count=f"{count:,}",
                                 reason=reason.rstrip("。."), rows=shown, more=more)
            else:
                line = translate("error_group.line_no_column", lang, reason=reason)
            if len(files) > 1:
                line = translate("error_group.in_file", lang, file=file, line=line)
            out.append({"file": file, "column": label, "code": key, "reason": reason, "count": count,
                        "rows": rows[:GROUP_ROWS_SHOWN], "text": line})
        return out

    def extra(self, lang: Lang = "zh") -> dict[str, Any]:
        return {"groups": self.groups(lang)}


class PasswordChangeRequired(Forbidden):
    """An account whose password an administrator chose calls anything but the password change: pages redirect to
    the change-password page, the API answers 403 with this code."""

    code = "password_change_required"
