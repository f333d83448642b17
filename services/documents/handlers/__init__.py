"""Documents' use cases, one function each, grouped by what they touch."""

from __future__ import annotations

from .freezes import freeze
from .reads import Content, get_document, list_documents, open_content, preview, purposes
from .sweeps import purge_deleted, sweep_orphans
from .uploads import delete_document, store_document

__all__ = [
    "Content",
    "delete_document",
    "freeze",
    "get_document",
    "list_documents",
    "open_content",
    "preview",
    "purge_deleted",
    "purposes",
    "store_document",
    "sweep_orphans",
]
