"""Events documents emits on ``qual.documents.*``.

They carry ids, the purpose, the unit and the content hash — never the original file name, which
may itself be personal data (``张三身份证.jpg``) and stays in the documents service.
"""

from __future__ import annotations

import msgspec

from contracts.base import Event


class DocumentStored(Event, frozen=True, tag="documents.document_stored.v1"):
    """材料已上传: a unit stored a document that passed every check. ``aggregate_id`` is the document id."""

    document_id: str
    unit_id: str
    purpose: str
    content_type: str
    size: int
    sha256: str


class DocumentDeleted(Event, frozen=True, tag="documents.document_deleted.v1"):
    """材料已删除: the unit deleted a document that was not frozen. ``aggregate_id`` is the document id."""

    document_id: str
    unit_id: str
    purpose: str
    sha256: str


class FrozenDocument(msgspec.Struct, frozen=True, kw_only=True):
    """One document of a freeze: what it is for and which bytes it is."""

    document_id: str
    purpose: str
    sha256: str


class DocumentsFrozen(Event, frozen=True, tag="documents.documents_frozen.v1"):
    """材料已冻结: an application's documents were frozen on submission; authorities whose
    jurisdiction covers ``jurisdiction`` may read them. ``aggregate_id`` is the application id."""

    application_id: str
    revision: int
    unit_id: str
    jurisdiction: str
    documents: list[FrozenDocument]
