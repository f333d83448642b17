"""Values a hostile or careless client sends in place of a field."""

from __future__ import annotations

from typing import Any

__all__ = ["NASTY_STRINGS", "NASTY_VALUES", "SENDABLE_STRINGS"]

NASTY_STRINGS = [
    "",
    " ",
    "\x00",
    "测绘\x00单位",
    "\ud800",
    "a\u202eb",
    "\t\n\r",
    "' OR 1=1 --",
    "<script>alert(1)</script>",
    "𠀀𠀁测绘🗺️",
    "9" * 18,
    "x" * 10_000,
    "９１３５０１００Ｍ０００１００Ｙ４３",
    "%s%s%s%n",
    "null",
]
"""Strings: empty, control characters, NUL, a lone surrogate, bidi override, SQL, markup, rare CJK
and emoji, overlong, full-width digits, format specifiers."""

SENDABLE_STRINGS = [
    text for text in NASTY_STRINGS if text.encode("utf-8", "surrogatepass") == text.encode("utf-8", "replace")
]
"""The ones a browser can send in a form (UTF-8 encodable: no lone surrogate)."""

NASTY_VALUES: list[Any] = [None, 0, -1, 10**30, 3.5, True, [], {}, ["x"], {"$ne": ""}, *NASTY_STRINGS]
"""Any JSON value where a string belongs."""
