"""Every JSON answer of the API is documented with its shape: the OpenAPI document gives each 2xx
``application/json`` response of every operation a schema that names its fields (or, for a list, the fields of its
items), never an empty or free-form one. Files (PDF, ZIP, CSV, attachments) are declared with their media types."""

from __future__ import annotations

from typing import Any

from rating_service.web.app import create_app

JSON = "application/json"


def _resolve(document: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        name = schema["$ref"].removeprefix("#/components/schemas/")
        schema = document["components"]["schemas"][name]
    return schema


def _problem(document: dict[str, Any], schema: dict[str, Any] | None) -> str | None:
    """Why the schema does not show a shape, or None when it does."""
    if not schema:
        return "no schema"
    schema = _resolve(document, schema)
    if schema.get("type") == "array":
        items = schema.get("items")
        return _problem(document, items) if items else "a list of anything"
    for key in ("anyOf", "oneOf", "allOf"):
        if key in schema:
            problems = [_problem(document, part) for part in schema[key] if part.get("type") != "null"]
            return next((p for p in problems if p), None) if problems else "only null"
    if schema.get("type") == "object" or "properties" in schema:
        return None if schema.get("properties") else "an object without named fields"
    return None if schema.get("type") else "any value"


def test_every_json_answer_has_a_schema_with_named_fields():
    document = create_app().openapi()
    operations, missing = 0, []
    for path, item in document["paths"].items():
        for method, operation in item.items():
            operations += 1
            name = f"{method.upper()} {path} ({operation.get('operationId')})"
            successes = {s: r for s, r in operation.get("responses", {}).items() if s.startswith("2")}
            assert successes, f"{name}: no success answer documented"
            for status, response in successes.items():
                content = response.get("content")
                if not content:
                    if status != "204":
                        missing.append(f"{name} {status}: no media type (a file answer names its types)")
                    continue
                if JSON in content:
                    problem = _problem(document, content[JSON].get("schema"))
                    if problem:
                        missing.append(f"{name} {status}: {problem}")
    assert operations > 40, "the OpenAPI document lost its operations"
    assert missing == [], "JSON answers without a shape:\n" + "\n".join(missing)


def test_the_check_tells_a_shape_from_none():
    document: dict[str, Any] = {"components": {"schemas": {"Out": {"type": "object", "properties": {"a": {}}}}}}
    assert _problem(document, {}) == "no schema"
    assert _problem(document, None) == "no schema"
    assert _problem(document, {"type": "object", "additionalProperties": True}) == "an object without named fields"
    assert _problem(document, {"type": "array", "items": {"type": "object"}}) == "an object without named fields"
    assert _problem(document, {"type": "array"}) == "a list of anything"
    assert _problem(document, {"type": "array", "items": {"$ref": "#/components/schemas/Out"}}) is None
    assert _problem(document, {"$ref": "#/components/schemas/Out"}) is None
    assert _problem(document, {"anyOf": [{"$ref": "#/components/schemas/Out"}, {"type": "null"}]}) is None
