"""Who may read a document (model.Document.readable_by), on the model alone."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest

from contracts.auth import Caller
from services.documents.model import Document
from services.documents.rules import Kind


def a_document(*jurisdictions: str) -> Document:
    return Document(
        id=uuid.uuid4(),
        unit_id="unit-1",
        purpose="申请书",
        filename="a.pdf",
        kind=Kind.PDF,
        size=10,
        sha256="0" * 64,
        created_at=datetime.now(UTC),
        frozen=bool(jurisdictions),
        jurisdictions=jurisdictions,
    )


@pytest.mark.parametrize(
    ("caller", "jurisdictions", "reads"),
    [
        (Caller(account_id="a", role="unit", unit_id="unit-1"), (), True),
        (Caller(account_id="a", role="unit", unit_id="unit-2"), ("350000",), False),
        (Caller(account_id="a", role="unit"), (), False),
        (Caller(account_id="service:applications", role="system"), (), True),
        (Caller(account_id="gateway", role="system"), ("350000",), False),
        (Caller(account_id="a", role="authority", jurisdiction="350000"), (), False),
        (Caller(account_id="a", role="authority", jurisdiction="350000"), ("350000",), True),
        (Caller(account_id="a", role="authority", jurisdiction="350000"), ("350100",), True),
        (Caller(account_id="a", role="authority", jurisdiction="350100"), ("350000",), False),
        (Caller(account_id="a", role="authority", jurisdiction="110000"), ("350000", "110000"), True),
        (Caller(account_id="a", role="authority", jurisdiction="000000"), ("650000",), True),
        (Caller(account_id="a", role="admin", jurisdiction="000000"), ("650000",), True),
        (Caller(account_id="a", role="authority", jurisdiction=None), ("350000",), False),
        (Caller(account_id="a", role="authority", jurisdiction="35"), ("350000",), False),
    ],
)
def test_readers(caller: Caller, jurisdictions: tuple[str, ...], reads: bool) -> None:
    assert a_document(*jurisdictions).readable_by(caller) is reads
