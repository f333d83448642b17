"""提交 over HTTP on real PostgreSQL, with the real documents service freezing the uploads: the
work moves to 已提交 with its deadline, record and event in one transaction, or nothing changes."""

from __future__ import annotations

from typing import Any

import msgspec
import pytest

from services.applications import errors
from services.applications.app import create_app as create_applications
from services.applications.handlers import submission
from services.applications.model import deadlines
from services.applications.model.calendar import WorkingCalendar
from tests.fixtures.apps import client_of, started

from .conftest import Desk, credit_code_in
from .flow import NEW_PARTICULARS, beijing_today, filed_change, outbox, records, save, submit, submitted_change


async def _state(desk: Desk, work_id: str) -> tuple[str, int, int]:
    conn = await desk.db()
    try:
        row = await conn.fetchrow("SELECT state, revision, version FROM applications WHERE id = $1", work_id)
    finally:
        await conn.close()
    assert row is not None
    return row["state"], row["revision"], row["version"]


async def test_submission_moves_the_work_with_deadline_record_and_event(desk: Desk) -> None:
    filed = await filed_change(desk)
    before = filed.version
    answer = await submit(desk, filed)
    assert answer.status_code == 200, answer.text
    status = answer.json()
    assert (status["state"], status["state_label"], status["revision"]) == ("submitted", "已提交", 0)
    assert status["version"] == before + 1
    today = beijing_today()
    assert status["deadlines"]["submitted_on"] == today.isoformat()
    assert status["deadlines"]["accept_due"] > today.isoformat()
    assert [a["action"] for a in status["actions"]] == ["withdraw"]
    [entry] = await records(desk, filed)
    assert (entry["action"], entry["action_label"], entry["actor_role"]) == ("submit", "提交", "unit")
    assert (entry["from_state"], entry["to_state"], entry["revision"]) == ("draft", "submitted", 0)
    events = await outbox(desk, filed.id)
    assert [name for name, _ in events] == ["application_created", "application_submitted"]
    submitted = events[1][1]
    assert submitted["revision"] == 0 and submitted["accept_due"] == status["deadlines"]["accept_due"]
    assert submitted["snapshot_id"] is None and submitted["evaluation"] is None  # no roster pages


async def test_after_submission_the_pages_are_frozen_for_the_unit(desk: Desk) -> None:
    filed = await submitted_change(desk)
    refused = await desk.client.put(
        f"/works/{filed.id}/pages/changes", json={"values": {}, "version": filed.version}, headers=filed.headers
    )
    assert refused.status_code == 409
    again = await submit(desk, filed)
    assert again.status_code == 409 and again.json()["code"] == "applications.wrong_state"


async def test_incomplete_pages_are_listed_per_page_and_nothing_changes(desk: Desk) -> None:
    unit_id, headers = await desk.registered_unit()
    await desk.add_certificate(unit_id)
    work = (
        await desk.client.post(
            "/works", json={"application_type": "基本信息变更", "certificate_type": "乙级资质证书"}, headers=headers
        )
    ).json()
    proof = await desk.upload(headers, "变更证明")
    version = await save(
        desk, work["id"], headers, "changes", work["version"], values=NEW_PARTICULARS, documents={"变更证明": [proof]}
    )
    answer = await desk.client.post(
        f"/works/{work['id']}/submission", json={"expected_version": version}, headers=headers
    )
    assert answer.status_code == 400, answer.text
    body = answer.json()
    assert body["code"] == "applications.incomplete_pages"
    assert body["details"]["pages"] == {"申请书": ["尚未填写并保存"]}
    assert "申请书" in body["message"]
    assert await _state(desk, work["id"]) == ("draft", -1, version)


async def test_a_stale_version_is_refused(desk: Desk) -> None:
    filed = await filed_change(desk)
    filed.version -= 1
    answer = await submit(desk, filed)
    assert answer.status_code == 409
    assert answer.json() == {
        "code": "applications.stale_version",
        "message": "该申请已被他人处理，请刷新后查看",
        "details": None,
    }


async def test_only_the_owning_unit_submits(desk: Desk) -> None:
    filed = await filed_change(desk)
    other = desk.unit(await desk.add_unit(credit_code=credit_code_in("110000", "MA01ABCD2X")))
    body = {"expected_version": filed.version}
    stranger = await desk.client.post(f"/works/{filed.id}/submission", json=body, headers=other)
    assert stranger.status_code == 404 and stranger.json()["code"] == "applications.work_not_found"
    clerk = await desk.client.post(f"/works/{filed.id}/submission", json=body, headers=desk.authority())
    assert clerk.status_code == 403
    missing = await desk.client.post("/works/not-a-uuid/submission", json=body, headers=filed.headers)
    assert missing.status_code == 404
    bad = await desk.client.post(f"/works/{filed.id}/submission", json={"expected_version": "x"}, headers=filed.headers)
    assert bad.status_code == 400 and bad.json()["details"][0]["field"] == "$.expected_version"
    assert (await _state(desk, filed.id))[0] == "draft"


async def test_idempotency_key_replays_without_a_second_effect(desk: Desk) -> None:
    filed = await filed_change(desk)
    version = filed.version
    first = await submit(desk, filed, key="submit-once")
    filed.version = version
    second = await submit(desk, filed, key="submit-once")
    assert first.status_code == second.status_code == 200
    assert second.headers.get("Idempotent-Replayed") == "true"
    assert second.json() == first.json()
    assert len(await records(desk, filed)) == 1


async def test_documents_down_changes_nothing_and_a_retry_succeeds(desk: Desk) -> None:
    filed = await filed_change(desk)
    urls = {**desk.settings.service_urls, "documents": "http://127.0.0.1:9"}
    broken = create_applications(msgspec.structs.replace(desk.settings, service_urls=urls))
    async with started(broken), client_of(broken) as client:
        headers = {**filed.headers, "Idempotency-Key": "retry-me"}
        failed = await client.post(
            f"/works/{filed.id}/submission", json={"expected_version": filed.version}, headers=headers
        )
    assert failed.status_code == 502, failed.text
    assert await _state(desk, filed.id) == ("draft", -1, filed.version)
    assert await records(desk, filed) == []
    assert [name for name, _ in await outbox(desk, filed.id)] == ["application_created"]
    retried = await submit(desk, filed, key="retry-me")
    assert retried.status_code == 200, retried.text
    assert retried.headers.get("Idempotent-Replayed") is None
    assert (await _state(desk, filed.id))[:2] == ("submitted", 1)  # the failed attempt took revision 0


async def test_a_retry_after_the_freeze_with_changed_documents_submits_them(
    desk: Desk, monkeypatch: pytest.MonkeyPatch
) -> None:
    """提交 failed after documents froze its uploads; the unit replaces an upload and submits again:
    the retry freezes the new documents under its own revision (not documents' freeze_mismatch)."""
    filed = await filed_change(desk)
    recorded = submission._record

    async def fail_once(*args: Any, **kwargs: Any) -> Any:
        monkeypatch.setattr(submission, "_record", recorded)
        raise errors.StaleVersionError()

    monkeypatch.setattr(submission, "_record", fail_once)
    failed = await submit(desk, filed)
    assert failed.status_code == 409, failed.text
    assert await _state(desk, filed.id) == ("draft", -1, filed.version)
    proof = await desk.upload(filed.headers, "变更证明")
    filed.version = await save(
        desk, filed.id, filed.headers, "changes", filed.version, values=NEW_PARTICULARS, documents={"变更证明": [proof]}
    )
    retried = await submit(desk, filed)
    assert retried.status_code == 200, retried.text
    assert (await _state(desk, filed.id))[:2] == ("submitted", 1)
    frozen = [body for name, body in await outbox(desk, filed.id) if name == "application_submitted"]
    assert len(frozen) == 1 and frozen[0]["revision"] == 1


async def test_accept_due_is_five_working_days_on_the_calendar(desk: Desk) -> None:
    filed = await submitted_change(desk)
    conn = await desk.db()
    try:
        row = await conn.fetchrow("SELECT submitted_on, accept_due FROM applications WHERE id = $1", filed.id)
        from services.applications.repository.calendar import calendar_for

        calendar: WorkingCalendar = await calendar_for(conn, 2004, 2030)
    finally:
        await conn.close()
    assert row is not None
    assert row["accept_due"] == deadlines.accept_due(calendar, row["submitted_on"], deadlines.Limits())
    assert calendar.working_days_between(row["submitted_on"], row["accept_due"]) == 5
