"""An audit entry in words: who did what to which object (a sentence), and its details field by field.

The one home of the audit log's wording, for the admins' page and its CSV/XLSX exports. Its words are in
rating_service/i18n/audit.py (``audit_action.<code>``, ``audit_says.<code>``, ``audit_object.<kind>``,
``audit_field.<key>``, ``audit_value.<value>``). People read names and plain sentences; the action's code, the
object's kind and id stay in machine fields (a data- attribute, the export's code columns).

Names are looked up beforehand, for a whole page at once (`service.readable`), and handed in as `Names`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from rating_service.i18n import MESSAGES, Lang, translate
from rating_service.records.formats import KINDS, ZH_WORDS

SYSTEM_ACTOR = "system"
ANONYMOUS_ACTOR = "anonymous"
MAX_VALUE = 200  # characters of one value shown
MAX_ITEMS = 12  # items of one list shown
MAX_LINES = 40  # detail lines of one entry
_HEX = re.compile(r"[0-9a-f]{40,}")
# Value words already in the catalogue, tried in this order for a value nothing more specific names.
_VALUE_PREFIXES = ("audit_value.", "cycle_state.", "appeal_outcome.", "item_action.", "document_kind.", "role.",
                   "appeal_status.", "name_kind.", "repair_status.", "refusal_stage.", "breach_status.")
# Payload keys whose values are named by one catalogue prefix, before any other (a repair's mark ``records`` is not
# an appeal's scope ``records``).
_KEY_PREFIXES = {"repair_mark": "repair_mark.", "stage": "refusal_stage."}


@dataclass
class Names:
    """What the page's entries refer to, by kind and id, as looked up in the database (missing: deleted)."""

    cycles: dict[str, str] = field(default_factory=dict)  # id -> name
    documents: dict[str, tuple[str, str]] = field(default_factory=dict)  # id -> (number, document kind)
    batches: dict[str, tuple[str, str]] = field(default_factory=dict)  # id -> (file name, record kind)
    appeals: dict[str, str | None] = field(default_factory=dict)  # id -> company name (None: unknown)
    companies: dict[str, str] = field(default_factory=dict)  # credit code -> name
    methodologies: dict[str, str] = field(default_factory=dict)  # id -> title
    roles: dict[str, str] = field(default_factory=dict)  # username -> role


def wanted(entries: Iterable[Any]) -> dict[str, set[str]]:
    """The ids to look up for these entries, by kind (``users`` are the actors and the user objects)."""
    ids: dict[str, set[str]] = {k: set() for k in ("cycle", "document", "import_batch", "appeal", "company",
                                                   "methodology", "users")}
    for e in entries:
        ids["users"].add(e.actor)
        if e.entity_kind in ids and e.entity_id:
            ids[e.entity_kind].add(e.entity_id)
        if e.entity_kind == "user" and e.entity_id:
            ids["users"].add(e.entity_id)
    return ids


def has_label(action: str) -> bool:
    return f"audit_action.{action}" in MESSAGES and f"audit_says.{action}" in MESSAGES


def action_label(action: str, lang: Lang = "zh") -> str:
    return translate(f"audit_action.{action}" if has_label(action) else "audit_action_unknown", lang)


def labelled_actions() -> list[str]:
    """Every action code with a label, in the catalogue's order."""
    return [key.removeprefix("audit_action.") for key in MESSAGES if key.startswith("audit_action.")]


def who(actor: str, names: Names, lang: Lang = "zh") -> str:
    if actor == SYSTEM_ACTOR:
        return translate("audit_who_system", lang)
    if actor == ANONYMOUS_ACTOR:
        return translate("audit_who_anonymous", lang)
    role = names.roles.get(actor)
    if role is None:
        return translate("audit_who_unknown", lang, username=actor)
    return translate("audit_who", lang, role=translate(f"role.{role}", lang), username=actor)


def object_text(kind: str | None, ident: str | None, names: Names, lang: Lang = "zh") -> str:
    """The object by its readable name; a deleted one by a kind word and its id; never ``kind:id``."""
    if not kind:
        return ""
    ident = ident or ""
    say = lambda key, **params: translate(f"audit_object.{key}", lang, id=ident, **params)  # noqa: E731
    if kind == "cycle":
        name = names.cycles.get(ident)
        return say("cycle", name=name) if name is not None else say("cycle_gone")
    if kind == "document":
        found = names.documents.get(ident)
        return say("document", name=found[0], kind=translate(f"document_kind.{found[1]}", lang)) if found \
            else say("document_gone")
    if kind == "import_batch":
        found_batch = names.batches.get(ident)
        if found_batch is None:
            return say("import_batch_gone")
        return say("import_batch", name=found_batch[0], kind=translate(f"record_kind.{found_batch[1]}", lang))
    if kind == "appeal":
        if ident not in names.appeals:
            return say("appeal_gone")
        company = names.appeals[ident]
        return say("appeal", name=company) if company else say("appeal_gone")
    if kind == "user":
        return say("user")
    if kind == "company":
        company_name = names.companies.get(ident)
        return say("company", name=company_name) if company_name is not None else say("company_gone")
    if kind == "calendar":
        return say("calendar")
    if kind == "methodology":
        title = names.methodologies.get(ident)
        return say("methodology", name=title) if title is not None else say("methodology_gone")
    if kind == "community":
        return say("community")
    if kind == "intake_item":
        return say("intake_item")
    if kind == "intake_mapping":
        return say("intake_mapping", kind=translate(f"item_kind.{ident}", lang))
    if kind == "intake_system":  # the intake API's pushing systems: by name (intake.system_issue / _revoke)
        return say("intake_system")
    if kind == "triage_model":
        return say("triage_model")
    if kind == "repair_request":
        return say("repair_request")
    if kind == "monitor_summary":  # the early warning's weekly summary, by its week's Monday
        return say("monitor_summary")
    if kind in KINDS:
        return say("record", kind=translate(f"record_kind.{kind}", lang))
    return say("unknown")


def sentence(entry: Any, names: Names, lang: Lang = "zh") -> str:
    """Who did what to which object, in one sentence of the page's language."""
    text = _sentence(entry, names, lang)
    return text[:1].upper() + text[1:] if lang == "en" else text


def _sentence(entry: Any, names: Names, lang: Lang) -> str:
    actor = who(entry.actor, names, lang)
    thing = object_text(entry.entity_kind, entry.entity_id, names, lang)
    if entry.action == "user.login_failed":
        payload = _payload(entry.payload)
        client = payload.get("client") or translate("audit_client_unknown", lang)
        return translate("audit_says.user.login_failed", lang, username=payload.get("username", entry.entity_id or ""),
                         client=client)
    if has_label(entry.action):
        return translate(f"audit_says.{entry.action}", lang, who=actor, object=thing)
    suffix = translate("audit_says_unknown_object", lang, object=thing) if thing else ""
    return translate("audit_says_unknown", lang, who=actor, object=suffix)


# -- details ---------------------------------------------------------------------------------------------------

def _payload(text: str) -> dict[str, Any]:
    try:
        data = json.loads(text)
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {"": data}


def field_name(key: str, lang: Lang = "zh", *, record_kind: str | None = None) -> str:
    if record_kind in KINDS:
        for column in KINDS[record_kind].columns:
            if column.name == key:
                return column.label(lang)
    entry = f"audit_field.{key}"
    return translate(entry, lang) if entry in MESSAGES else key


def value_text(value: Any, lang: Lang = "zh", *, key: str = "", record_kind: str | None = None) -> str:
    """A value in words: enums by their names, yes/no, lists joined, records by their kind's name; bounded."""
    if value is None or value == "" or value == [] or value == {}:
        return translate("audit_empty_value", lang)
    if isinstance(value, bool):
        return translate("audit_yes" if value else "audit_no", lang)
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, list):
        shown = [value_text(v, lang, key=key, record_kind=record_kind) for v in value[:MAX_ITEMS]]
        text = translate("audit_list_sep", lang).join(shown)
        if len(value) > MAX_ITEMS:
            text += " " + translate("audit_list_more", lang, count=len(value))
        return _bounded(text)
    if isinstance(value, dict):
        parts = [translate("audit_fact", lang, field=field_name(str(k), lang, record_kind=record_kind),
                           value=value_text(v, lang, key=str(k), record_kind=record_kind))
                 for k, v in list(value.items())[:MAX_ITEMS]]
        return _bounded(translate("audit_list_sep", lang).join(parts))
    text = str(value)
    if lang == "zh" and key in ZH_WORDS and text in ZH_WORDS[key]:
        return ZH_WORDS[key][text]
    if key == "kind" and text in KINDS:
        return translate(f"record_kind.{text}", lang)
    if key in ("record", "records", "attribution", "repair_records") and ":" in text:
        kind, _, ident = text.partition(":")
        if kind in KINDS:
            return translate("audit_object.record", lang, kind=translate(f"record_kind.{kind}", lang), id=ident)
    if key in _KEY_PREFIXES and _KEY_PREFIXES[key] + text in MESSAGES:
        return translate(_KEY_PREFIXES[key] + text, lang)
    for prefix in _VALUE_PREFIXES:
        if prefix + text in MESSAGES:
            return translate(prefix + text, lang)
    if _HEX.fullmatch(text):
        return text[:16] + "…"
    return _bounded(text)


def _bounded(text: str) -> str:
    return text if len(text) <= MAX_VALUE else text[:MAX_VALUE - 1] + "…"


# Payload fields the sentence already says (the file and its kind, the document's number and kind, who failed to
# sign in and from where), left out of the details.
_IN_THE_SENTENCE: dict[str, set[str]] = {
    "import": {"filename", "kind", "batch_id"},
    "document.download": {"number", "kind"},
    "documents.revise": {"number"},
    "user.login_failed": {"username", "client"},
}


def details(entry: Any, lang: Lang = "zh") -> list[str]:
    """The payload field by field: "字段：旧值 → 新值" for what changed, "字段：值" for the rest; never raw JSON."""
    payload = _payload(entry.payload)
    kind = entry.entity_kind if entry.entity_kind in KINDS else None
    lines: list[str] = []

    def change(name: str, before: Any, after: Any, key: str) -> None:
        lines.append(translate("audit_change", lang, field=name,
                               before=value_text(before, lang, key=key, record_kind=kind),
                               after=value_text(after, lang, key=key, record_kind=kind)))

    if "from" in payload or "to" in payload:
        change(field_name("from_to", lang), payload.get("from"), payload.get("to"), "status")
    before, after = payload.get("before"), payload.get("after")
    if isinstance(before, Mapping) and isinstance(after, Mapping):
        changed = payload.get("changed")
        keys = changed if isinstance(changed, list) else \
            [k for k in {**before, **after} if before.get(k) != after.get(k)]
        for key in keys:
            change(field_name(str(key), lang, record_kind=kind), before.get(key), after.get(key), str(key))
    skip = {"from", "to", "changed", "before", "after"} if isinstance(before, Mapping) else {"from", "to"}
    skip |= _IN_THE_SENTENCE.get(entry.action, set())
    for key, value in payload.items():
        if key in skip or value in (None, "", [], {}):
            continue
        lines.append(translate("audit_fact", lang, field=field_name(key, lang, record_kind=kind),
                               value=value_text(value, lang, key=key, record_kind=kind)))
    return lines[:MAX_LINES]


def kind_choices(lang: Lang = "zh") -> list[tuple[str, str]]:
    """(kind, name) of every object kind an entry may name: the service's objects, then the record kinds."""
    own = [(key.removeprefix("audit_kind."), translate(key, lang)) for key in MESSAGES if key.startswith("audit_kind.")]
    records = [(name, translate("audit_kind_record", lang, kind=translate(f"record_kind.{name}", lang)))
               for name in KINDS]
    return own + records
