"""The page catalog as versioned data (pages.json, types.json; see README.md), loaded and validated.

``catalog()`` reads the files once per process; ``parse_catalog`` checks raw data and raises
``CatalogError`` naming the problem, so a bad edit stops the service at start, not a request.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from contracts.documents.api import PURPOSES

from ..model.pages import FIELD_KINDS, ROSTERS, RULES, FieldSpec, PageSpec, UploadSpec
from ..model.provinces import PROVINCES
from ..model.types import APPLICATION_TYPES, CONDITIONS, Catalog, LaidPage, TypeSpec

__all__ = ["DATA_DIR", "CatalogError", "catalog", "load_catalog", "parse_catalog"]

DATA_DIR = Path(__file__).parent
_FIELD_KEYS = frozenset(
    {"key", "label", "kind", "required", "max_length", "options", "read_only", "locked_when_verified"}
    | {"editable_in", "only_for", "item_fields", "min_items", "max_items", "pattern", "pattern_message", "help"}
)
_PAGE_KEYS = frozenset({"key", "title", "section", "fields", "uploads", "roster", "rule"})


class CatalogError(ValueError):
    """The page data is not valid: the message names the file's entry and the problem."""


def _need(condition: bool, message: str) -> None:
    if not condition:
        raise CatalogError(message)


def _options(where: str, raw: Any) -> tuple[tuple[str, str], ...]:
    if raw is None:
        return ()
    if raw == "provinces":
        return tuple(PROVINCES.items())
    _need(isinstance(raw, list) and all(isinstance(o, str) for o in raw), f"{where}: options must be a list of text")
    return tuple((o, o) for o in raw)


def _types_set(where: str, raw: Any) -> frozenset[str]:
    names = frozenset(raw or ())
    unknown = names - set(APPLICATION_TYPES)
    _need(not unknown, f"{where}: unknown 工作类型 {sorted(unknown)}")
    return names


def _field(where: str, raw: Mapping[str, Any], shared: Mapping[str, Any]) -> FieldSpec:
    key = str(raw.get("key") or "")
    here = f"{where} field {key!r}"
    _need(isinstance(key, str) and bool(key) and isinstance(raw.get("label"), str), f"{here}: needs key and label")
    _need(not set(raw) - _FIELD_KEYS, f"{here}: unknown attributes {sorted(set(raw) - _FIELD_KEYS)}")
    _need(raw.get("kind") in FIELD_KINDS, f"{here}: unknown field kind {raw.get('kind')!r}")
    items: tuple[FieldSpec, ...] = ()
    if raw["kind"] == "people":
        named = str(raw.get("item_fields"))
        _need(named in shared, f"{here}: item_fields {named!r} is not defined in item_fields")
        items = _fields(f"{here} item", shared[named], {})
    if raw["kind"] in ("select",):
        _need(bool(raw.get("options")), f"{here}: a select needs options")
    return FieldSpec(
        key=key,
        label=raw["label"],
        kind=raw["kind"],
        required=bool(raw.get("required", False)),
        max_length=raw.get("max_length"),
        options=_options(here, raw.get("options")),
        read_only=bool(raw.get("read_only", False)),
        locked_when_verified=bool(raw.get("locked_when_verified", False)),
        editable_in=_types_set(here, raw.get("editable_in")),
        only_for=_types_set(here, raw.get("only_for")),
        item_fields=items,
        min_items=raw.get("min_items"),
        max_items=raw.get("max_items"),
        pattern=raw.get("pattern"),
        pattern_message=raw.get("pattern_message"),
        help=raw.get("help"),
    )


def _fields(where: str, raw: Any, shared: Mapping[str, Any]) -> tuple[FieldSpec, ...]:
    _need(isinstance(raw, list), f"{where}: fields must be a list")
    fields = tuple(_field(where, f, shared) for f in raw)
    keys = [f.key for f in fields]
    duplicate = {k for k in keys if keys.count(k) > 1}
    _need(not duplicate, f"{where}: duplicate field keys {sorted(duplicate)}")
    return fields


def _upload(where: str, raw: Mapping[str, Any]) -> UploadSpec:
    purpose = raw.get("purpose")
    _need(purpose in PURPOSES, f"{where}: unknown 材料类型 {purpose!r} (see contracts/documents/api.py)")
    return UploadSpec(purpose=str(purpose), label=str(raw.get("label") or purpose), required=bool(raw.get("required")))


def _page(raw: Mapping[str, Any], shared: Mapping[str, Any]) -> PageSpec:
    where = f"pages.json page {raw.get('key')!r}"
    _need(isinstance(raw.get("key"), str) and isinstance(raw.get("title"), str), f"{where}: needs key and title")
    _need(not set(raw) - _PAGE_KEYS, f"{where}: unknown attributes {sorted(set(raw) - _PAGE_KEYS)}")
    _need(raw.get("roster") in (None, *ROSTERS), f"{where}: unknown roster {raw.get('roster')!r}")
    _need(raw.get("rule") in (None, *RULES), f"{where}: unknown rule {raw.get('rule')!r}")
    uploads = tuple(_upload(where, u) for u in raw.get("uploads") or ())
    purposes = [u.purpose for u in uploads]
    _need(len(set(purposes)) == len(purposes), f"{where}: duplicate upload purposes")
    fields = _fields(where, raw.get("fields") or [], shared)
    return PageSpec(raw["key"], raw["title"], raw.get("section"), fields, uploads, raw.get("roster"), raw.get("rule"))


def _laid(name: str, entry: Any, pages: Mapping[str, PageSpec]) -> LaidPage:
    key, when = (entry.get("page"), entry.get("when")) if isinstance(entry, dict) else (entry, None)
    key = str(key)
    _need(key in pages, f"types.json {name}: names an unknown page {key!r}")
    _need(when is None or when in CONDITIONS, f"types.json {name}: unknown condition {when!r}")
    return LaidPage(spec=pages[key], when=when)


def parse_catalog(pages_raw: Mapping[str, Any], types_raw: Mapping[str, Any]) -> Catalog:
    """Build and check the catalog from the two files' contents."""
    shared = pages_raw.get("item_fields") or {}
    pages: dict[str, PageSpec] = {}
    for raw in pages_raw.get("pages") or ():
        page = _page(raw, shared)
        _need(page.key not in pages, f"pages.json: duplicate page key {page.key!r}")
        pages[page.key] = page
    types_map = types_raw.get("types") or {}
    missing = set(APPLICATION_TYPES) - set(types_map)
    unknown = set(types_map) - set(APPLICATION_TYPES)
    _need(not missing and not unknown, f"types.json: missing types {sorted(missing)}, unknown {sorted(unknown)}")
    types: dict[str, TypeSpec] = {}
    for name, entries in types_map.items():
        layout = tuple(_laid(name, e, pages) for e in entries)
        keys = [laid.spec.key for laid in layout]
        _need(len(set(keys)) == len(keys), f"types.json {name}: a page is listed twice")
        types[name] = TypeSpec(application_type=name, layout=layout)
    version = f"{pages_raw.get('version', '?')}/{types_raw.get('version', '?')}"
    return Catalog(version=version, pages=pages, types=types)


def load_catalog(directory: Path = DATA_DIR) -> Catalog:
    """Read and check ``pages.json`` and ``types.json`` in ``directory``."""
    try:
        pages_raw = json.loads((directory / "pages.json").read_text(encoding="utf-8"))
        types_raw = json.loads((directory / "types.json").read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise CatalogError(f"cannot read the page data in {directory}: {exc}") from exc
    return parse_catalog(pages_raw, types_raw)


@functools.cache
def catalog() -> Catalog:
    """The catalog of this service's data directory, read once."""
    return load_catalog()
