"""Decoding: checks uploads and renders previews in worker threads, a bounded number at a time,
so a burst of uploads neither blocks the event loop nor holds more decoded images than that."""

from __future__ import annotations

import asyncio

from . import inspection, previews
from .model import Upload
from .rules import Kind, display_name

__all__ = ["Decoding"]


class Decoding:
    """At most ``parallel`` files are decoded at once (each a CPU-bound pass over up to 2 MB)."""

    def __init__(self, *, max_pixels: int, parallel: int) -> None:
        self.max_pixels = max_pixels
        self._gate = asyncio.Semaphore(parallel)

    async def inspect(self, upload: Upload) -> Kind:
        """The upload's kind, or the refusal (errors.py) that says what is wrong with its bytes."""
        async with self._gate:
            return await asyncio.to_thread(
                inspection.inspect,
                upload.data,
                filename=display_name(upload.filename),
                declared_type=upload.declared_type,
                max_pixels=self.max_pixels,
            )

    async def preview(self, data: bytes, kind: Kind) -> bytes:
        async with self._gate:
            return await asyncio.to_thread(previews.render, data, kind)
