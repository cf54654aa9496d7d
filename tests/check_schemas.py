"""Validates content files against ldr's JSON Schemas, as an editor's language server would.

Usage: python3 tests/check_schemas.py SCHEMA_DIR FILE...
Each FILE's schema is chosen by its place: site.toml, capabilities.toml, footprint.toml, or
the front matter (between `+++` lines) of stories/, events/ and pages/ Markdown. TOML is read
with the standard library's `tomllib`, dates written as the strings TOML spells them, and
checked with `jsonschema` (draft 2020-12). Prints one JSON line per file:
{"file": ..., "valid": true|false, "error": "..."}.
"""
import datetime
import json
import pathlib
import sys
import tomllib

import jsonschema

schemas = pathlib.Path(sys.argv[1])


def schema_for(path):
    if path.name in ("site.toml", "capabilities.toml", "footprint.toml"):
        return path.name.removesuffix(".toml")
    return {"stories": "story", "events": "event", "pages": "page"}[path.parent.name]


def toml_text(path):
    text = path.read_text(encoding="utf-8-sig")
    if path.suffix != ".md":
        return text
    lines = text.splitlines()
    close = next(i for i in range(1, len(lines)) if lines[i].strip() == "+++")
    return "\n".join(lines[1:close])


def as_json(value):
    if isinstance(value, dict):
        return {k: as_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_json(v) for v in value]
    if isinstance(value, datetime.datetime):
        return value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


for name in sys.argv[2:]:
    path = pathlib.Path(name)
    schema = json.loads((schemas / f"{schema_for(path)}.schema.json").read_text())
    validator = jsonschema.Draft202012Validator(schema)
    document = as_json(tomllib.loads(toml_text(path)))
    error = jsonschema.exceptions.best_match(validator.iter_errors(document))
    print(json.dumps({"file": name, "valid": error is None, "error": error and error.message}))
