"""HTTP API of the documents service (材料附件) as the gateway, the portal and other services call it.

Routes (behind the internal token; through the gateway at ``/api/documents/…``):
    GET    /purposes                     -> Purposes                        (any caller)
    POST   /documents                    multipart: purpose, file -> 201 Document   (unit)
    GET    /documents?purpose=&page=&page_size=  -> DocumentPage, newest first (unit: its own)
    GET    /documents/{id}               -> Document     (owner, authority covering a freeze, service)
    GET    /documents/{id}/content       -> the bytes    (same readers; ``?disposition=inline``)
    GET    /documents/{id}/preview       -> image/jpeg, ≤1024 px on its long side (same readers)
    DELETE /documents/{id}               -> 204; 409 ``document_frozen`` once frozen   (owner)
    POST   /freezes                      FreezeRequest -> 201 Freeze (200 when repeated)   (service)

Whoever may not read a document gets 404, exactly as for an id that does not exist.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal, get_args

import msgspec

from contracts.base import Request, Response
from contracts.types import DivisionCode

__all__ = [
    "PURPOSES",
    "Disposition",
    "Document",
    "DocumentPage",
    "Freeze",
    "FreezeRequest",
    "Purpose",
    "PurposeOption",
    "Purposes",
]

Purpose = Literal[
    "申请书",
    "单位简介",
    "法人证明",
    "营业执照",
    "职称证书",
    "学历证书",
    "退休材料",
    "劳务合同",
    "社保缴纳证明",
    "身份证",
    "检定证书",
    "购置发票",
    "项目合同",
    "验收证明",
    "安全保密制度",
    "质量保障体系",
    "档案管理制度",
    "变更证明",
    "遗失声明",
    "其它",
]
"""材料类型: what an uploaded document is for (manual §5), in the order the portal lists them."""

PURPOSES: tuple[str, ...] = get_args(Purpose)

Disposition = Literal["attachment", "inline"]
"""How ``/content`` asks the browser to show the file: save it (default) or show it in the page."""

DocumentId = Annotated[str, msgspec.Meta(min_length=1, max_length=64)]


class PurposeOption(Response):
    """One 材料类型: its value and the label the portal shows."""

    value: str
    label: str


class Purposes(Response):
    items: list[PurposeOption]


class Document(Response):
    """An uploaded document's metadata. ``filename`` is the original name, for display only;
    ``content_type`` is decided by the bytes; ``frozen`` once an application submitted it."""

    id: str
    purpose: str
    filename: str
    content_type: str
    size: int
    sha256: str
    created_at: datetime
    frozen: bool = False


class DocumentPage(Response):
    """One page of the caller unit's documents, newest first."""

    items: list[Document]
    page: int
    page_size: int
    total: int


class FreezeRequest(Request):
    """冻结: the applications service freezes an application's documents when the unit submits it.

    All of ``document_ids`` are frozen or none; repeating the same request (same
    ``application_id`` and ``revision``) answers the freeze already made.
    """

    application_id: Annotated[str, msgspec.Meta(min_length=1, max_length=64)]
    revision: Annotated[int, msgspec.Meta(ge=0, le=1_000_000)]
    unit_id: Annotated[str, msgspec.Meta(min_length=1, max_length=64)]
    jurisdiction: DivisionCode
    document_ids: Annotated[list[DocumentId], msgspec.Meta(max_length=1000)]


class Freeze(Response):
    """A freeze as made: the documents it holds and the jurisdiction whose authorities may read them."""

    application_id: str
    revision: int
    unit_id: str
    jurisdiction: str
    document_ids: list[str]
    created_at: datetime
