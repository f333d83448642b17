"""Document (材料) and Freeze (冻结): who may read a document, what an upload and a freeze record."""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime

from contracts.auth import Caller
from contracts.documents import api, events
from services.kernel.auth import is_service
from services.kernel.jurisdiction import may_act_in

from .rules import Data, Kind

__all__ = [
    "Document",
    "Limits",
    "Upload",
    "frozen_event",
    "new_document",
    "parse_id",
]

"""A service acting for itself (``kernel.auth.service_caller``); the gateway's anonymous visitor is
also ``system`` but is the account ``gateway``, and reads nothing."""


def parse_id(text: str) -> uuid.UUID | None:
    """A document id from a path or a request; anything that is not a UUID names no document."""
    try:
        return uuid.UUID(text)
    except ValueError:
        return None


@dataclass(frozen=True, kw_only=True)
class Limits:
    """The largest file, and what one unit's stored documents may add up to."""

    max_bytes: int
    quota_bytes: int


@dataclass(frozen=True, kw_only=True)
class Upload:
    """A ``POST /documents`` as read from its multipart body (nothing checked yet); ``data`` is
    the buffer the body was read into."""

    purpose: str | None
    filename: str | None
    declared_type: str | None
    data: Data


@dataclass(frozen=True, kw_only=True)
class Document:
    """材料: an uploaded file of one unit. ``jurisdictions``: those of the freezes holding it."""

    id: uuid.UUID
    unit_id: str
    purpose: str
    filename: str
    kind: Kind
    size: int
    sha256: str
    created_at: datetime
    frozen: bool = False
    jurisdictions: tuple[str, ...] = field(default=())

    @property
    def key(self) -> str:
        """The object's key in the store: the id, never anything from the file's name."""
        return str(self.id)

    def readable_by(self, caller: Caller) -> bool:
        """The owning unit's users; a service; an authority whose jurisdiction covers a freeze
        holding the document. Nobody else — they are told it does not exist."""
        if caller.role == "unit":
            return caller.unit_id is not None and caller.unit_id == self.unit_id
        if caller.role == "system":
            return is_service(caller)
        return any(may_act_in(caller, jurisdiction) for jurisdiction in self.jurisdictions)

    def as_api(self) -> api.Document:
        return api.Document(
            id=str(self.id),
            purpose=self.purpose,
            filename=self.filename,
            content_type=self.kind.content_type,
            size=self.size,
            sha256=self.sha256,
            created_at=self.created_at,
            frozen=self.frozen,
        )

    def stored(self) -> events.DocumentStored:
        return events.DocumentStored(
            aggregate_id=self.key,
            document_id=self.key,
            unit_id=self.unit_id,
            purpose=self.purpose,
            content_type=self.kind.content_type,
            size=self.size,
            sha256=self.sha256,
        )

    def deleted(self) -> events.DocumentDeleted:
        return events.DocumentDeleted(
            aggregate_id=self.key, document_id=self.key, unit_id=self.unit_id, purpose=self.purpose, sha256=self.sha256
        )

    def frozen_as(self) -> events.FrozenDocument:
        return events.FrozenDocument(document_id=self.key, purpose=self.purpose, sha256=self.sha256)


def new_document(*, unit_id: str, purpose: str, filename: str, kind: Kind, data: Data) -> Document:
    """A document about to be stored: a fresh id, the bytes' size and SHA-256."""
    return Document(
        id=uuid.uuid4(),
        unit_id=unit_id,
        purpose=purpose,
        filename=filename,
        kind=kind,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        created_at=datetime.now(UTC),
    )


def frozen_event(request: api.FreezeRequest, documents: list[Document]) -> events.DocumentsFrozen:
    """材料已冻结: what a freeze tells the others."""
    return events.DocumentsFrozen(
        aggregate_id=request.application_id,
        application_id=request.application_id,
        revision=request.revision,
        unit_id=request.unit_id,
        jurisdiction=request.jurisdiction,
        documents=[document.frozen_as() for document in documents],
    )
