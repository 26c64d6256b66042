"""File names as they are shown and stored: one printable line of valid UTF-8.

POSIX file names are bytes. Python hands the undecodable ones over as lone surrogates
(``surrogateescape``), which no UTF-8 encoder accepts: not the store's, not the terminal's. And a
name may hold a newline, which splits the line a message is printed on, or a bidi override,
which makes the rest of the line read backwards. So every origin made from a path is this
*display name*: undecodable bytes as ``\\xNN``, control and bidi characters as ``\\n``, ``\\x1b``,
``\\u202e``. The path itself, surrogates and all, is what is opened.
"""

from __future__ import annotations

import re

_UNSHOWN = re.compile("[\x00-\x1f\x7f-\x9f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    if char in _NAMED:
        return _NAMED[char]
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def display_name(name: str) -> str:
    """``name`` (a path as Python gives it) as one printable line of valid UTF-8."""
    if name.isprintable() and name.isascii():
        return name  # the common case, at no cost
    readable = name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return _UNSHOWN.sub(_escape, readable)
