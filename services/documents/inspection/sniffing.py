"""The kind of a file from its magic bytes (the ``filetype`` library), nothing else."""

from __future__ import annotations

import filetype

from ..rules import Data, Kind

__all__ = ["sniff"]

_HEAD = 8192
_BY_MIME = {kind.content_type: kind for kind in Kind}


def sniff(data: Data) -> Kind | None:
    """JPEG, PNG or PDF by the bytes; None for anything else (gif, zip, exe, text…)."""
    guess = filetype.guess(data[:_HEAD])
    return None if guess is None else _BY_MIME.get(guess.mime)
