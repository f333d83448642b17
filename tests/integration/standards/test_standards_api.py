"""The standards service through its app (auth, error bodies) and its CLI (same JSON)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from litestar.testing import TestClient

from services.standards.app import create_app
from services.standards.errors import StandardDataError
from services.standards.settings import DEFAULT_DATA_DIR
from tests.builders.standards import EXAMPLE, standards_settings

REPO = Path(__file__).resolve().parents[3]


def _with(**changes: Any) -> dict[str, Any]:
    return {**EXAMPLE, **changes}


def test_versions_are_listed(client: TestClient[Any], headers: dict[str, str]) -> None:
    response = client.get("/standards", headers=headers)
    assert response.status_code == 200
    assert response.json()["versions"] == [
        {
            "version": "2021",
            "title": "测绘资质分类分级标准",
            "document": "自然资办发〔2021〕43号",
            "effective_from": "2021-07-01",
            "official": False,
        }
    ]


def test_a_version_publishes_categories_levels_figures_and_grades(
    client: TestClient[Any], headers: dict[str, str]
) -> None:
    body = client.get("/standards/2021", headers=headers).json()
    assert body["categories"][0] == "大地测量" and len(body["categories"]) == 10
    assert body["levels"] == ["甲级", "乙级"] and "三维激光扫描仪" in body["equipment_types"]
    geodesy_yi = body["standards"][0]["levels"][1]
    assert geodesy_yi["personnel"] == {
        "value": [25, 1, 4, 5, 15],
        "grade": "A",
        "sources": ["S1", "S2", "S6"],
        "notes": [],
    }
    assert geodesy_yi["work_limits"]["value"][1] == "不得从事B级及以上卫星定位测量"
    assert body["standards"][9]["levels"][0]["personnel"]["value"] is None


def test_an_unknown_version_is_404_with_the_error_body(client: TestClient[Any], headers: dict[str, str]) -> None:
    for response in (
        client.get("/standards/2014", headers=headers),
        client.post("/evaluate", json=_with(version="2014"), headers=headers),
    ):
        assert response.status_code == 404
        assert response.json() == {
            "code": "standards.unknown_version",
            "message": "资质标准版本「2014」不存在",
            "details": {"version": "2014"},
        }


def test_evaluate_explains_every_requirement(client: TestClient[Any], headers: dict[str, str]) -> None:
    response = client.post("/evaluate", json=EXAMPLE, headers=headers)
    assert response.status_code == 200
    body = response.json()
    assert (body["version"], body["overall"]) == ("2021", "fail")
    photo, navigation = body["results"]
    assert (photo["status"], navigation["status"]) == ("fail", "not_available")
    junior = next(item for item in photo["requirements"] if item["id"] == "staff.cumulative.junior")
    assert junior == {
        "id": "staff.cumulative.junior",
        "kind": "staff",
        "status": "fail",
        "required": 5,
        "actual": 4,
        "unit": "人",
        "message": "测绘专业初级及以上人员不足：需5人，实有4人",
        "grade": "A",
        "verified": False,
        "sources": ["S1", "S2", "S6"],
    }
    total = next(item for item in photo["requirements"] if item["id"] == "staff.total")
    assert (total["status"], total["required"], total["actual"]) == ("fail", 8, 5)
    assert "导航电子地图制作甲级资质证书" in navigation["requirements"][0]["message"]


def test_the_service_requires_an_internal_token(client: TestClient[Any]) -> None:
    assert client.post("/evaluate", json=EXAMPLE).status_code == 401
    assert client.get("/standards").json()["code"] == "missing_token"
    assert client.get("/healthz").status_code == 200


BAD_INPUT = [
    ("unknown category", _with(requests=[{"category": "不动产测绘", "level": "乙级"}]), "$.requests[0].category"),
    ("unknown level", _with(requests=[{"category": "大地测量", "level": "丙级"}]), "$.requests[0].level"),
    (
        "unknown equipment type",
        _with(equipment=[{"type": "无人机", "count": 1, "countable": True}]),
        "$.equipment[0].type",
    ),
    ("negative count", _with(equipment=[{"type": "全站仪", "count": -1, "countable": True}]), "$.equipment[0].count"),
    (
        "negative amount",
        _with(projects=[{"category": "大地测量", "amount_wan": -1, "completed_on": "2026-01-01"}]),
        "$.projects[0].amount_wan",
    ),
    ("malformed date", _with(application_date="2026-11-31"), "$.application_date"),
    (
        "malformed nested date",
        _with(held=[{"category": "大地测量", "level": "乙级", "since": "01/05/2024"}]),
        "$.held[0].since",
    ),
    ("unknown field", _with(unit_name="x"), "$.unit_name"),
    (
        "unknown nested field",
        _with(staff=[{"id": "p", "major": "测绘", "title": "高级", "countable": True, "age": 3}]),
        "$.staff[0].age",
    ),
    (
        "unknown major",
        _with(staff=[{"id": "p", "major": "测量", "title": "高级", "countable": True}]),
        "$.staff[0].major",
    ),
    ("no request", _with(requests=[]), "$.requests"),
    ("missing countable", _with(equipment=[{"type": "全站仪", "count": 1}]), "$.equipment[0].countable"),
]


@pytest.mark.parametrize(("body", "field"), [c[1:] for c in BAD_INPUT], ids=[c[0] for c in BAD_INPUT])
def test_bad_input_is_400_naming_the_field(
    client: TestClient[Any], headers: dict[str, str], body: dict[str, Any], field: str
) -> None:
    response = client.post("/evaluate", json=body, headers=headers)
    assert response.status_code == 400
    error = response.json()
    assert error["code"] == "invalid_input"
    assert [problem["field"] for problem in error["details"]] == [field]
    assert field in error["message"]


def test_no_standard_in_force_before_2021_07_01(client: TestClient[Any], headers: dict[str, str]) -> None:
    body = {key: value for key, value in EXAMPLE.items() if key != "version"}
    response = client.post("/evaluate", json={**body, "application_date": "2021-06-30"}, headers=headers)
    assert response.status_code == 400
    assert response.json()["code"] == "standards.no_version_in_force"
    assert response.json()["details"][0]["field"] == "$.application_date"


def _cli(stdin: bytes, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "services.standards", "evaluate", *(args or ("-",))],
        input=stdin,
        capture_output=True,
        cwd=REPO,
        env={**os.environ, **(env or {})},
        timeout=60,
        check=False,
    )


def test_the_cli_prints_the_same_json_as_the_endpoint(client: TestClient[Any], headers: dict[str, str]) -> None:
    payload = json.dumps(EXAMPLE, ensure_ascii=False).encode()
    done = _cli(payload)
    assert done.returncode == 0, done.stderr.decode()
    response = client.post("/evaluate", content=payload, headers={**headers, "content-type": "application/json"})
    assert done.stdout.rstrip(b"\n") == response.content
    assert json.loads(done.stdout)["overall"] == "fail"


def test_the_cli_reads_a_file_and_refuses_bad_input_naming_the_field(tmp_path: Path) -> None:
    path = tmp_path / "request.json"
    path.write_text(json.dumps(_with(equipment=[{"type": "无人机", "count": 1, "countable": True}])), encoding="utf-8")
    done = _cli(b"", str(path))
    assert (done.returncode, done.stdout) == (2, b"")
    error = json.loads(done.stderr)
    assert (error["code"], error["details"][0]["field"]) == ("invalid_input", "$.equipment[0].type")
    negative = json.dumps(_with(equipment=[{"type": "全站仪", "count": -1, "countable": True}])).encode()
    assert json.loads(_cli(negative).stderr)["details"][0]["field"] == "$.equipment[0].count"


def test_the_cli_uses_the_configured_data_directory(tmp_path: Path) -> None:
    data = json.loads((DEFAULT_DATA_DIR / "2021.json").read_text(encoding="utf-8"))
    data["standards"][2]["levels"][1]["personnel"]["value"] = [6, 0, 2, 2, 2]
    (tmp_path / "2021.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    done = _cli(json.dumps(EXAMPLE).encode(), env={"STANDARDS_DATA_DIR": str(tmp_path)})
    photo = json.loads(done.stdout)["results"][0]
    assert next(item for item in photo["requirements"] if item["id"] == "staff.total")["required"] == 6


def test_invalid_data_stops_the_service_naming_file_and_field(tmp_path: Path, token_keys: tuple[str, str]) -> None:
    data = json.loads((DEFAULT_DATA_DIR / "2021.json").read_text(encoding="utf-8"))
    data["equipment_types"].remove("重力仪")
    (tmp_path / "2021.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(StandardDataError) as error:
        create_app(standards_settings(token_keys[1], standards_data_dir=str(tmp_path)))
    assert str(error.value).startswith(
        f"{tmp_path / '2021.json'}: $.standards[0].levels[0].equipment.value[0].sum_of[3]: "
    )


def test_the_schema_documents_the_api_without_a_token(client: TestClient[Any]) -> None:
    schema = client.get("/schema/openapi.json").json()
    assert {"/standards", "/standards/{version}", "/evaluate"} <= set(schema["paths"])
    assert {"EvaluateRequest", "Evaluation", "Requirement", "StandardDetail"} <= set(schema["components"]["schemas"])
    assert client.get("/readyz").json()["status"] == "ready"
