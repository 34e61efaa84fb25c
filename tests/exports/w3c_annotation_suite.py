"""The W3C Web Annotation test suite's JSON Schemas (draft-04), loaded to validate documents.

`load_suite(folder)` reads `definitions/` into a registry (the assertion schemas refer to them
as "annotations.json#/definitions/…") and collects the assertion schemas by folder.
`failed_assertions(document, schemas)` names every schema the document does not satisfy.

The suite's schemas use the formats "uri" and "date-time"; jsonschema checks those only with
optional packages, so the checks are written here: an absolute URI (RFC 3986: a scheme, then
no whitespace) and an RFC 3339 date-time.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from jsonschema import Draft4Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

_ABSOLUTE_URI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:[^\s]*")
_DATE_TIME = re.compile(r"\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:[Zz]|[+-]\d{2}:\d{2})")

FORMATS = FormatChecker(formats=())


@FORMATS.checks("uri")
def _is_uri(value: object) -> bool:
    return not isinstance(value, str) or bool(_ABSOLUTE_URI.fullmatch(value))


@FORMATS.checks("date-time")
def _is_date_time(value: object) -> bool:
    return not isinstance(value, str) or bool(_DATE_TIME.fullmatch(value))


@dataclass(frozen=True)
class Assertion:
    name: str  # the schema's path below the suite folder
    assertion_type: str  # "must" | "should" | "may"
    validator: Draft4Validator


@dataclass(frozen=True)
class Suite:
    assertions: dict[str, list[Assertion]]  # by folder: "annotations", "collections" …

    def musts(self, folder: str) -> list[Assertion]:
        return [a for a in self.assertions[folder] if a.assertion_type == "must"]


def load_suite(folder: Path) -> Suite:
    registry: Registry = Registry()
    for path in sorted((folder / "definitions").glob("*.json")):
        schema = json.loads(path.read_text(encoding="utf-8"))
        resource = Resource.from_contents(schema, default_specification=DRAFT4)
        registry = registry.with_resource(schema.get("id", path.name), resource)
    assertions: dict[str, list[Assertion]] = {}
    for group in ("annotations", "collections"):
        found = []
        for path in sorted((folder / group).rglob("*.json")):
            schema = json.loads(path.read_text(encoding="utf-8"))
            validator = Draft4Validator(schema, registry=registry, format_checker=FORMATS)
            name = str(path.relative_to(folder))
            found.append(Assertion(name, schema.get("assertionType", ""), validator))
        assertions[group] = found
    return Suite(assertions)


def failed_assertions(document: object, assertions: list[Assertion]) -> list[str]:
    """The names of the assertions `document` does not satisfy."""
    return [a.name for a in assertions if not a.validator.is_valid(document)]
