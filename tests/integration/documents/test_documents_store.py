"""The store seam on both stores (a directory and the S3 server): write, read whole or in chunks,
delete, list by age; a missing object is said so before any byte is streamed."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import botocore.exceptions
import pytest

from services.documents import storage
from services.documents.settings import DocumentsSettings
from services.kernel import load_settings

from .conftest import Backing

pytestmark = pytest.mark.usefixtures("store")


@pytest.fixture
def the_store(backing: Backing) -> storage.Store:
    settings = load_settings(DocumentsSettings, {}, **backing.settings)
    return storage.store_for(settings)


async def test_an_object_is_written_read_streamed_and_deleted(the_store: storage.Store, backing: Backing) -> None:
    key, data = str(uuid.uuid4()), bytes(range(256)) * 3000  # 768,000 bytes: several chunks

    await the_store.put(key, data, content_type="application/pdf")

    assert backing.objects() == {key}
    assert await the_store.get(key) == data
    chunks = [chunk async for chunk in await the_store.open(key)]
    assert len(chunks) == 3 and b"".join(chunks) == data
    await the_store.delete(key)
    assert backing.objects() == set()
    await the_store.delete(key)  # deleting what is gone is no error


async def test_a_missing_object_is_said_before_anything_streams(the_store: storage.Store) -> None:
    with pytest.raises(storage.ObjectMissingError):
        await the_store.open(str(uuid.uuid4()))
    with pytest.raises(storage.ObjectMissingError):
        await the_store.get(str(uuid.uuid4()))


async def test_stale_temporaries_of_unfinished_writes_are_removed(the_store: storage.Store, backing: Backing) -> None:
    key = str(uuid.uuid4())
    await the_store.put(key, b"x", content_type="image/png")
    if backing.kind == "filesystem":  # a write cut short by a crash, before its rename
        temporary = Path(backing.settings["documents_dir"]) / "tmp" / f"{uuid.uuid4()}.unfinished"
        temporary.write_bytes(b"half an object")

    await the_store.remove_stale_temporaries(datetime.now(UTC) - timedelta(minutes=1))
    assert len(backing.objects()) == (2 if backing.kind == "filesystem" else 1)  # too young yet
    await the_store.remove_stale_temporaries(datetime.now(UTC) + timedelta(minutes=1))

    assert backing.objects() == {key}


async def test_a_write_that_fails_leaves_no_object(the_store: storage.Store, backing: Backing) -> None:
    if backing.kind == "filesystem":
        with pytest.raises(ValueError, match="not a document key"):
            await the_store.put("../../escape", b"x", content_type="image/png")  # keys are ids, never paths
        assert not (Path(backing.settings["documents_dir"]).parent / "escape").exists()
    else:
        assert isinstance(the_store, storage.S3Store)
        nowhere = storage.S3Store(the_store.client, f"missing-{uuid.uuid4().hex[:8]}", chunk_size=1024)
        with pytest.raises(botocore.exceptions.ClientError, match="NoSuchBucket"):
            await nowhere.put(str(uuid.uuid4()), b"x", content_type="image/png")
    assert backing.objects() == set()
