"""FileStore: objects as files under ``DOCUMENTS_DIR`` (``objects/<2 hex>/<id>``), each written to a
temporary name in ``tmp/``, fsynced, renamed into place, and its directory fsynced."""

from __future__ import annotations

import asyncio
import os
import re
import tempfile
from collections.abc import AsyncIterator, Iterator
from datetime import datetime
from pathlib import Path
from typing import BinaryIO

from ..rules import Data
from .errors import ObjectMissingError

__all__ = ["FileStore"]

_KEY = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


class FileStore:
    def __init__(self, root: Path, *, chunk_size: int) -> None:
        self.root = root
        self.objects = root / "objects"
        self.temporary = root / "tmp"
        self._chunk_size = chunk_size

    def path_of(self, key: str) -> Path:
        """The file of ``key``; ValueError for anything that is not a document id."""
        if not _KEY.match(key):
            raise ValueError(f"not a document key: {key!r}")
        return self.objects / key[:2] / key

    async def put(self, key: str, data: Data, *, content_type: str) -> None:
        await asyncio.to_thread(self._write, self.path_of(key), data)

    def _write(self, final: Path, data: Data) -> None:
        final.parent.mkdir(parents=True, exist_ok=True)
        self.temporary.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(dir=self.temporary, prefix=f"{final.name}.")
        try:
            with os.fdopen(fd, "wb") as file:
                file.write(data)
                file.flush()
                os.fsync(file.fileno())
            os.replace(temporary, final)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        _fsync_directory(final.parent)

    async def get(self, key: str) -> bytes:
        try:
            return await asyncio.to_thread(self.path_of(key).read_bytes)
        except FileNotFoundError:
            raise ObjectMissingError(key) from None

    async def open(self, key: str) -> AsyncIterator[bytes]:
        try:
            file = await asyncio.to_thread(self.path_of(key).open, "rb")
        except FileNotFoundError:
            raise ObjectMissingError(key) from None
        return self._chunks(file)

    async def _chunks(self, file: BinaryIO) -> AsyncIterator[bytes]:
        try:
            while chunk := await asyncio.to_thread(file.read, self._chunk_size):
                yield chunk
        finally:
            file.close()

    async def delete(self, key: str) -> None:
        await asyncio.to_thread(self.path_of(key).unlink, missing_ok=True)

    async def remove_stale_temporaries(self, cutoff: datetime) -> None:
        """Remove temporaries of writes that never finished (a crash) older than ``cutoff``."""
        await asyncio.to_thread(self._remove_stale_temporaries, cutoff.timestamp())

    def _remove_stale_temporaries(self, cutoff: float) -> None:
        for name in _files_before(self.temporary, cutoff):
            (self.temporary / name).unlink(missing_ok=True)


def _files_before(directory: Path, cutoff: float) -> list[str]:
    return list(_names_before(directory, cutoff)) if directory.is_dir() else []


def _names_before(directory: Path, cutoff: float) -> Iterator[str]:
    with os.scandir(directory) as entries:
        for entry in entries:
            try:
                if entry.is_file(follow_symlinks=False) and entry.stat().st_mtime < cutoff:
                    yield entry.name
            except FileNotFoundError:  # removed meanwhile
                continue


def _fsync_directory(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
