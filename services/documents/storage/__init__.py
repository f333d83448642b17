"""The document store behind one seam: a filesystem directory (the default) or any S3 API.

Keys are document ids, never anything from a file's name. Every call is async; the blocking
work (file I/O, boto3) runs in worker threads inside the adapters, never on the event loop.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime
from pathlib import Path
from typing import Protocol, runtime_checkable

from ..rules import Data
from ..settings import DocumentsSettings
from .errors import ObjectMissingError, StoreUnavailableError
from .filesystem import FileStore
from .s3 import S3Store

__all__ = ["FileStore", "ObjectMissingError", "S3Store", "Store", "StoreUnavailableError", "store_for"]

CHUNK_SIZE = 256 * 1024
"""A download is streamed in chunks of this size."""


@runtime_checkable
class Store(Protocol):
    """Where the bytes live (two implementations: ``FileStore``, ``S3Store``)."""

    async def put(self, key: str, data: Data, *, content_type: str) -> None:
        """Write the object durably (a reader never sees a partial object)."""

    async def get(self, key: str) -> bytes:
        """The whole object; ObjectMissingError when there is none."""

    async def open(self, key: str) -> AsyncIterator[bytes]:
        """The object's chunks, opened now (ObjectMissingError here, before any byte is sent)."""

    async def delete(self, key: str) -> None:
        """Remove the object; nothing happens when there is none."""

    async def remove_stale_temporaries(self, cutoff: datetime) -> None:
        """Remove what writes that never finished (a crash) left before ``cutoff``."""


def store_for(settings: DocumentsSettings) -> Store:
    """The store ``DOCUMENTS_STORE`` names, configured from the settings (nothing connects yet)."""
    if settings.documents_store == "s3":
        return S3Store.from_settings(settings, chunk_size=CHUNK_SIZE)
    return FileStore(Path(settings.documents_dir), chunk_size=CHUNK_SIZE)
