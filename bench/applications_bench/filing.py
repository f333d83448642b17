"""提交 of a 资质申请 乙级, the way the unit does it in the portal, over and over: 新建工作, every
page filled and 保存d (40 scans on the upload pages), 提交 — the measured call: completeness,
满足情况 against the standard (staffing), the roster snapshot (staffing), the documents' freeze
(documents), the move to 已提交 — then 撤回, so the unit may create its next work (one work in
progress per unit). Only the 提交 is timed.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from .portal import Desk, a_scan

__all__ = ["DOCUMENTS", "SCOPE", "Filing", "uploaded_scans"]

DOCUMENTS = 40
UPLOAD_PAGES = {
    "application_form": "申请书",
    "unit_info": "营业执照",
    "safety": "安全保密制度",
    "quality": "质量保障体系",
    "archives": "档案管理制度",
}
SCOPE = ("工程测量", "地理信息系统工程", "界线与不动产测绘")
"""The 专业类别 requested, each at 乙级."""
_KIND = {"application_type": "资质申请", "certificate_type": "乙级资质证书"}
_PERSON = {"name": "王伟", "id_number": "350102197001011234", "position": "总经理", "title": "高级工程师",
           "mobile": "13800138000"}  # fmt: skip
_VALUES: dict[str, dict[str, Any]] = {
    "profile": {"profile": "本单位成立于2008年，主要从事工程测量、不动产测绘和地理信息系统工程。" * 5},
    "unit_info": {
        "office_address": "福建省福州市鼓楼区测绘路1号",
        "nature": "企业",
        "founded_on": "2008-05-12",
        "registered_capital": 1000,
        "contact": "李娜",
        "contact_phone": "0591-87654321",
        "email": "bench@example.com",
        "postcode": "350001",
    },
    "leaders": {"legal_person": [_PERSON], "qualification_leaders": [_PERSON]},
    "scope": {"levels": [{"category": c, "level": "乙级", "sub_items": []} for c in SCOPE]},
}


def uploaded_scans(desk: Desk) -> dict[str, list[str]]:
    """上传 the 40 scans, spread evenly over the upload pages; page key → document ids."""
    per_page = DOCUMENTS // len(UPLOAD_PAGES)
    return {
        page: [desk.upload(purpose, a_scan(index * 100 + n), f"{page}-{n}.jpg") for n in range(per_page)]
        for index, (page, purpose) in enumerate(UPLOAD_PAGES.items())
    }


@dataclass
class Filing:
    """The unit's desk, its 40 scans and the pages of a 资质申请."""

    desk: Desk
    scans: dict[str, list[str]]

    def pages(self, work: dict[str, Any]) -> Iterator[str]:
        return (page["key"] for page in work["pages"])

    def fresh_work(self) -> tuple[str, int]:
        """新建工作 and every page 保存d; the work's id and version."""
        work = self.desk.call("POST", "/api/applications/works", _KIND)
        application_id, version = work["id"], work["version"]
        for key in self.pages(work):
            body = {
                "values": _VALUES.get(key, {}),
                "documents": {UPLOAD_PAGES[key]: self.scans[key]} if key in UPLOAD_PAGES else {},
                "version": version,
            }
            saved = self.desk.call("PUT", f"/api/applications/works/{application_id}/pages/{key}", body)
            version = saved["version"]
        return application_id, version

    def submit(self, application_id: str, version: int) -> tuple[float, dict[str, Any]]:
        """提交 (timed); seconds and the workflow status."""
        path = f"/api/applications/works/{application_id}/submission"
        return self.desk.timed("POST", path, {"expected_version": version})

    def withdraw(self, application_id: str, version: int) -> None:
        """撤回, so the next 新建工作 is allowed."""
        body = {"action": "withdraw", "expected_version": version}
        self.desk.call("POST", f"/api/applications/works/{application_id}/actions", body)

    def once(self) -> tuple[float, dict[str, Any]]:
        """A fresh work filed and 提交ed, then 撤回ed; the 提交's seconds and status."""
        application_id, version = self.fresh_work()
        seconds, status = self.submit(application_id, version)
        if status["state"] != "submitted":
            raise RuntimeError(f"提交 left the work {status['state']}: {str(status)[:300]}")
        self.withdraw(application_id, status["version"])
        return seconds, status
