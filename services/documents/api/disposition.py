"""``Content-Disposition`` per RFC 6266: the original name as ``filename*=UTF-8''…`` (RFC 8187)
with an ASCII ``filename=`` fallback for clients that read only that."""

from __future__ import annotations

from urllib.parse import quote

__all__ = ["content_disposition"]

_ATTR_CHARS = "!#$&+^`|"
"""RFC 8187 attr-char punctuation ``quote`` would encode (letters, digits and ``-._~`` stay anyway)."""


def content_disposition(filename: str, *, extension: str, inline: bool) -> str:
    name = filename or f"document{extension}"
    encoded = quote(name, safe=_ATTR_CHARS)
    kind = "inline" if inline else "attachment"
    return f"{kind}; filename=\"{_ascii_fallback(name, extension)}\"; filename*=UTF-8''{encoded}"


def _ascii_fallback(name: str, extension: str) -> str:
    kept = "".join(char if " " <= char <= "~" and char not in '"\\%' else "_" for char in name)
    stem = kept.rpartition(".")[0] if "." in kept else kept
    if not any(char.isalnum() for char in stem):
        return f"document{extension}"
    return kept
