"""The page data (services/applications/data) loads, and invalid data stops the service at start."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from services.applications.data import DATA_DIR, CatalogError, load_catalog, parse_catalog
from services.applications.model.types import APPLICATION_TYPES


def raw() -> tuple[dict[str, Any], dict[str, Any]]:
    pages = json.loads((DATA_DIR / "pages.json").read_text(encoding="utf-8"))
    types = json.loads((DATA_DIR / "types.json").read_text(encoding="utf-8"))
    return pages, types


def test_the_shipped_data_is_the_issue_matrix() -> None:
    catalog = load_catalog()
    assert set(catalog.types) == set(APPLICATION_TYPES)
    titles = {name: [laid.spec.title for laid in t.layout] for name, t in catalog.types.items()}
    assert titles["新单位注册"] == ["单位基本信息", "法人及分管资质申报领导信息"]
    assert titles["补领证书"] == ["申请书", "补领原因"]
    assert titles["基本信息变更"] == ["申请书", "变更信息"]
    assert titles["资质申请"] == titles["复审换证"]
    assert [laid.when for laid in catalog.types["专业范围变更"].layout][-1] == "needs_projects"
    profile = catalog.pages["profile"].fields[0]
    assert profile.required and profile.max_length == 2000


def test_each_type_asks_for_each_document_once() -> None:
    """资质注销 asked for its 申请书 on 申请书 and again on 注销信息 (issue 18): one 材料类型, one page."""
    for name, spec in load_catalog().types.items():
        purposes = [u.purpose for laid in spec.layout for u in laid.spec.uploads]
        assert len(purposes) == len(set(purposes)), f"{name} asks twice for {purposes}"


def _broken(change: Any) -> str:
    pages, types = raw()
    pages, types = copy.deepcopy(pages), copy.deepcopy(types)
    change(pages, types)
    with pytest.raises(CatalogError) as refused:
        parse_catalog(pages, types)
    return str(refused.value)


def test_unknown_field_kind() -> None:
    message = _broken(lambda p, _: p["pages"][1]["fields"][0].update(kind="signature"))
    assert "unknown field kind 'signature'" in message and "profile" in message


def test_duplicate_page_key() -> None:
    assert "duplicate page key 'profile'" in _broken(lambda p, _: p["pages"].append(dict(p["pages"][1])))


def test_duplicate_field_key() -> None:
    message = _broken(lambda p, _: p["pages"][2]["fields"].append(dict(p["pages"][2]["fields"][0])))
    assert "duplicate field keys ['unit_name']" in message


def test_type_naming_an_unknown_page() -> None:
    assert "unknown page 'nowhere'" in _broken(lambda _, t: t["types"]["补领证书"].append("nowhere"))


def test_unknown_purpose_and_missing_type() -> None:
    assert "unknown 材料类型" in _broken(lambda p, _: p["pages"][0]["uploads"][0].update(purpose="照片"))
    assert "missing types ['资质注销']" in _broken(lambda _, t: t["types"].pop("资质注销"))


def test_the_app_refuses_to_start_on_bad_data(tmp_path: Path) -> None:
    pages, types = raw()
    pages["pages"][0]["fields"] = [{"key": "x", "label": "X", "kind": "colour"}]
    (tmp_path / "pages.json").write_text(json.dumps(pages), encoding="utf-8")
    (tmp_path / "types.json").write_text(json.dumps(types), encoding="utf-8")
    with pytest.raises(CatalogError, match="unknown field kind 'colour'"):
        load_catalog(tmp_path)
