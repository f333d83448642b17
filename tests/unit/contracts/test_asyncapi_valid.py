"""contracts/asyncapi.json is a valid AsyncAPI 3.0.0 document (official JSON Schema, vendored)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft7Validator
from jsonschema.protocols import Validator
from jsonschema.validators import validator_for

from contracts import asyncapi

SCHEMA = Path(__file__).with_name("schemas") / "asyncapi-3.0.0.json"


@pytest.fixture(scope="module")
def validator() -> Validator:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    cls = validator_for(schema)
    assert cls is Draft7Validator  # what the official schema declares
    cls.check_schema(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


def _document() -> dict[str, Any]:
    document: dict[str, Any] = json.loads(asyncapi.DOCUMENT.read_text(encoding="utf-8"))
    return document


def _errors(validator: Validator, document: dict[str, Any]) -> list[str]:
    return [f"{error.json_path}: {error.message}" for error in validator.iter_errors(document)]


def test_the_document_is_valid_asyncapi_3(validator: Validator) -> None:
    assert _errors(validator, _document()) == []


@pytest.mark.parametrize(
    "breakage",
    ["no info", "2.6 subscribe", "publish action", "no server protocol"],
)
def test_the_validator_reports_a_broken_document(validator: Validator, breakage: str) -> None:
    document = _document()
    channel = next(iter(document["channels"].values()))
    operation = next(iter(document["operations"].values()))
    match breakage:
        case "no info":
            del document["info"]
        case "2.6 subscribe":
            channel["subscribe"] = {"message": channel["messages"]}
        case "publish action":
            operation["action"] = "publish"
        case "no server protocol":
            del document["servers"]["embedded"]["protocol"]
    assert _errors(validator, document)


def _refs(node: object) -> list[str]:
    if isinstance(node, dict):
        own = [node["$ref"]] if isinstance(node.get("$ref"), str) else []
        return own + [ref for value in node.values() for ref in _refs(value)]
    if isinstance(node, list):
        return [ref for value in node for ref in _refs(value)]
    return []


def test_every_reference_resolves_inside_the_document() -> None:
    document = _document()
    refs = _refs(document)
    assert refs
    for ref in refs:
        assert ref.startswith("#/"), ref
        node: Any = document
        for part in ref[2:].split("/"):
            assert isinstance(node, dict) and part in node, f"{ref} does not resolve"
            node = node[part]
