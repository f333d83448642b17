"""专业范围变更 (issue 18): 增加/减少 against the certificate, and a 专业 dropped only when confirmed."""

from __future__ import annotations

from services.applications.data import load_catalog
from services.applications.model.fields import FieldContext, check_page
from services.applications.model.scope_change import removal_refusal, scope_changes

HELD = ("工程测量", "海洋测绘")


def levels(*categories: str) -> list[dict[str, object]]:
    return [{"category": c, "level": "乙级", "sub_items": []} for c in categories]


def test_changes_against_the_certificate() -> None:
    changes = scope_changes(HELD, levels("海洋测绘", "地图编制"))
    assert (changes.added, changes.removed) == (("地图编制",), ("工程测量",))
    assert removal_refusal(changes, ["工程测量"]) is None
    refusal = removal_refusal(changes, [])
    assert refusal is not None and "工程测量" in refusal and "海洋测绘" not in refusal


def test_the_scope_page_refuses_a_dropped_category_until_confirmed() -> None:
    spec = load_catalog().pages["scope"]
    ctx = FieldContext(application_type="专业范围变更", current_scope=HELD)
    _, errors = check_page(spec, {"levels": levels("工程测量", "海洋测绘", "地图编制")}, ctx)
    assert errors == {}
    _, errors = check_page(spec, {"levels": levels("工程测量")}, ctx)
    assert "海洋测绘" in errors["confirmed_removals"]
    clean, errors = check_page(
        spec, {"levels": levels("工程测量"), "confirmed_removals": ["海洋测绘", "工程测量"]}, ctx
    )
    assert errors == {} and clean["confirmed_removals"] == ["海洋测绘"]


def test_other_types_have_no_confirmation() -> None:
    spec = load_catalog().pages["scope"]
    ctx = FieldContext(application_type="资质申请")
    _, errors = check_page(spec, {"levels": levels("工程测量"), "confirmed_removals": ["海洋测绘"]}, ctx)
    assert errors == {"confirmed_removals": "该页面没有此项"}
