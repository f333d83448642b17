"""Pure rules of documents: the accepted kinds (jpg, png, pdf), what a name or a part type
declares, the display name kept for a file, and the pages of a listing."""

from __future__ import annotations

import enum
import unicodedata

from contracts.documents.api import PURPOSES

__all__ = [
    "MAX_FILENAME_LENGTH",
    "MAX_PAGE_SIZE",
    "PURPOSES",
    "Data",
    "Kind",
    "declared_kind",
    "display_name",
    "extension_kind",
    "is_purpose",
]

Data = bytes | bytearray
"""A file's bytes as read: the buffer the request body was read into, never copied."""

MAX_FILENAME_LENGTH = 255
MAX_PAGE_SIZE = 100
_DROPPED_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Zl", "Zp"})
"""Control and format characters (bidi overrides that turn ``gpj.exe`` around), surrogates,
private-use characters and line/paragraph separators never reach a display name."""


class Kind(enum.Enum):
    """A kind of file the service accepts, decided by its bytes."""

    JPEG = "image/jpeg"
    PNG = "image/png"
    PDF = "application/pdf"

    @property
    def content_type(self) -> str:
        return self.value

    @property
    def extension(self) -> str:
        return _CANONICAL_EXTENSIONS[self]

    @property
    def is_image(self) -> bool:
        return self is not Kind.PDF


_CANONICAL_EXTENSIONS = {Kind.JPEG: ".jpg", Kind.PNG: ".png", Kind.PDF: ".pdf"}
_EXTENSIONS = {".jpg": Kind.JPEG, ".jpeg": Kind.JPEG, ".jpe": Kind.JPEG, ".png": Kind.PNG, ".pdf": Kind.PDF}
_DECLARED = {
    "image/jpeg": Kind.JPEG,
    "image/jpg": Kind.JPEG,
    "image/pjpeg": Kind.JPEG,
    "image/png": Kind.PNG,
    "image/x-png": Kind.PNG,
    "application/pdf": Kind.PDF,
    "application/x-pdf": Kind.PDF,
}
UNDECLARED = frozenset({"", "application/octet-stream"})
"""A part type that declares nothing (what a client sends when it does not know)."""


def is_purpose(value: str) -> bool:
    return value in PURPOSES


def display_name(raw: str | None) -> str:
    """The original name as shown to people: its last path component, without control
    characters, trimmed, at most 255 characters (the extension kept when cut)."""
    name = (raw or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(char for char in name if unicodedata.category(char) not in _DROPPED_CATEGORIES).strip()
    if len(name) <= MAX_FILENAME_LENGTH:
        return name
    stem, dot, extension = name.rpartition(".")
    if dot and stem and len(extension) <= 16:
        return stem[: MAX_FILENAME_LENGTH - len(extension) - 1].rstrip() + dot + extension
    return name[:MAX_FILENAME_LENGTH]


def extension_kind(filename: str) -> Kind | None:
    """What the name's extension declares; None for any other (or no) extension."""
    stem, dot, extension = filename.rpartition(".")
    return _EXTENSIONS.get(f".{extension.lower()}") if dot and stem.strip() else None


def declared_kind(content_type: str | None) -> Kind | None:
    """What a part's ``Content-Type`` declares; None when it declares nothing or something else."""
    return _DECLARED.get((content_type or "").split(";")[0].strip().lower())
