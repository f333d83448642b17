"""Helpers of the workflow tests: a 基本信息变更 work with its pages saved (the shortest type with a
document freeze), submitting it, acting on it, and reading the outbox and the record."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import httpx

from services.kernel import Runtime, UnitOfWork

from .conftest import CREDIT_CODE, Desk, Headers

CHANGE = {"application_type": "基本信息变更", "certificate_type": "乙级资质证书"}
NEW_PARTICULARS = {
    "new_unit_name": "新名称测绘有限公司",
    "new_registered_address": {"province": "110000", "detail": "海淀区中关村大街1号"},
    "new_legal_representative": "李四",
}


@dataclass
class Filed:
    """A unit's work: its id, the unit, the unit's headers, the certificate concerned, the version."""

    id: str
    unit_id: str
    headers: Headers
    certificate: str
    version: int
    documents: tuple[str, ...] = ()


async def filed_change(desk: Desk, credit_code: str = CREDIT_CODE, *, name: str = "测试测绘有限公司") -> Filed:
    """A verified unit holding a 乙级 certificate, with a 基本信息变更 whose pages are saved."""
    unit_id, headers = await desk.registered_unit(
        credit_code=credit_code, name=name, registered_address="北京市海淀区", legal_representative="张三"
    )
    number = await desk.add_certificate(unit_id, credit_code)
    created = await desk.client.post("/works", json=CHANGE, headers=headers)
    assert created.status_code == 201, created.text
    work = created.json()
    form, proof = await desk.upload(headers, "申请书"), await desk.upload(headers, "变更证明")
    version = await save(desk, work["id"], headers, "application_form", work["version"], documents={"申请书": [form]})
    version = await save(
        desk, work["id"], headers, "changes", version, values=NEW_PARTICULARS, documents={"变更证明": [proof]}
    )
    return Filed(work["id"], unit_id, headers, number, version, (form, proof))


async def save(desk: Desk, work_id: str, headers: Headers, key: str, version: int, **body: Any) -> int:
    saved = await desk.client.put(f"/works/{work_id}/pages/{key}", json={**body, "version": version}, headers=headers)
    assert saved.status_code == 200, saved.text
    return int(saved.json()["version"])


async def submit(desk: Desk, filed: Filed, *, key: str | None = None) -> httpx.Response:
    headers = {**filed.headers, **({"Idempotency-Key": key} if key else {})}
    answer = await desk.client.post(
        f"/works/{filed.id}/submission", json={"expected_version": filed.version}, headers=headers
    )
    if answer.status_code == 200:
        filed.version = answer.json()["version"]
    return answer


async def submitted_change(desk: Desk, credit_code: str = CREDIT_CODE, **kwargs: Any) -> Filed:
    filed = await filed_change(desk, credit_code, **kwargs)
    answer = await submit(desk, filed)
    assert answer.status_code == 200, answer.text
    return filed


async def act(desk: Desk, filed: Filed, headers: Headers, action: str, **body: Any) -> httpx.Response:
    """POST the action at the work's current version (``expected_version`` in ``body`` overrides)."""
    payload = {"action": action, "expected_version": filed.version, **body}
    answer = await desk.client.post(f"/works/{filed.id}/actions", json=payload, headers=headers)
    if answer.status_code == 200:
        filed.version = answer.json()["version"]
    return answer


async def ok(answer: httpx.Response) -> dict[str, Any]:
    assert answer.status_code == 200, answer.text
    return dict(answer.json())


async def accepted_by(desk: Desk, filed: Filed, clerk: Headers) -> dict[str, Any]:
    await ok(await act(desk, filed, clerk, "claim"))
    return await ok(await act(desk, filed, clerk, "accept"))


async def outbox(desk: Desk, application_id: str) -> list[tuple[str, dict[str, Any]]]:
    """(subject suffix, payload) of the work's events, in order."""
    import msgspec

    conn = await desk.db()
    try:
        rows = await conn.fetch(
            "SELECT subject, payload FROM outbox WHERE aggregate_id = $1 ORDER BY id", application_id
        )
    finally:
        await conn.close()
    return [(row["subject"].split(".")[2], msgspec.json.decode(row["payload"])) for row in rows]


async def records(desk: Desk, filed: Filed, headers: Headers | None = None) -> list[dict[str, Any]]:
    answer = await desk.client.get(f"/works/{filed.id}/records", headers=headers or filed.headers)
    return list((await ok(answer))["items"])


def uow_of(desk: Desk) -> UnitOfWork:
    runtime = desk.app.state["runtime"]
    assert isinstance(runtime, Runtime)
    return runtime.uow()


async def set_columns(desk: Desk, application_id: str, **columns: Any) -> None:
    """Move a work's workflow columns directly (a fixed clock for deadlines)."""
    conn = await desk.db()
    try:
        sets = ", ".join(f"{name} = ${i + 2}" for i, name in enumerate(columns))
        await conn.execute(f"UPDATE applications SET {sets} WHERE id = $1", application_id, *columns.values())
    finally:
        await conn.close()


def beijing_today() -> dt.date:
    from services.applications import clock

    return clock.today()
