"""Turning bytes of unknown provenance into text, or a clear error.

Scraped files arrive as UTF-8, UTF-8 with a BOM, UTF-16, cp1252 or latin-1, and sometimes as a mix
(a UTF-8 file with a few cp1252 lines pasted in). Whole-file detectors such as charset-normalizer
pick one encoding for the file and garble the other lines, so mixed files are decoded line by line:
UTF-8 where it is valid, cp1252 where not. charset-normalizer is asked only when neither fits.
"""

from __future__ import annotations

import codecs
import zlib

from newsprism.errors import BinaryInputError, EmptyInputError, EncodingError, InputTooLargeError

_MAGIC = {
    b"%PDF": "a PDF document",
    b"PK\x03\x04": "a ZIP archive (or an Office document)",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"\x7fELF": "an executable",
    b"BZh": "a bzip2 archive",
    b"\xfd7zXZ": "an xz archive",
    b"WARC/": "a WARC archive (read it as a .warc or .warc.gz file)",
}
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# C0 controls other than tab, newline, form feed and carriage return: text files don't have them.
_CONTROL = bytes(c for c in range(32) if c not in (9, 10, 12, 13))


def gunzip(data: bytes, origin: str, limit: int, setting: str = "max_file_bytes") -> bytes:
    """Decompress gzip data, refusing output beyond ``limit`` bytes (a zip bomb stops early).
    ``setting`` names the limit in the message (files and downloads have their own)."""
    d = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        out = d.decompress(data, limit + 1)
    except zlib.error as exc:
        raise BinaryInputError(f"damaged gzip data: {exc}", origin=origin) from exc
    if len(out) > limit:
        raise InputTooLargeError(
            f"decompresses to more than {limit / 1e6:.1f} MB ({setting})", origin=origin
        )
    return out


def decode_bytes(data: bytes, origin: str, *, limit: int, setting: str = "max_file_bytes") -> str:
    """Decode ``data`` to text or raise an InputError subclass that names ``origin``."""
    if data[:2] == b"\x1f\x8b":
        data = gunzip(data, origin, limit, setting)
    if not data.strip():
        raise EmptyInputError(
            "file is empty" if not data else "file holds only whitespace", origin=origin
        )
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError as exc:
                raise EncodingError(
                    f"starts with a {encoding} byte-order mark but is not {encoding}: {exc.reason} at byte {exc.start}",
                    origin=origin,
                ) from exc
    for magic, what in _MAGIC.items():
        if data.startswith(magic):
            raise BinaryInputError(f"binary file ({what}), not an article", origin=origin)
    head = data[:8192]
    if b"\x00" in head or sum(head.count(bytes([c])) for c in _CONTROL) > len(head) * 0.01 + 2:
        raise BinaryInputError("binary file (control bytes), not text", origin=origin)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    return _decode_mixed(data, origin)


def _decode_mixed(data: bytes, origin: str) -> str:
    lines = data.splitlines(keepends=True)
    out: list[str] = []
    bad = 0
    for line in lines:
        try:
            out.append(line.decode("utf-8"))
            continue
        except UnicodeDecodeError:
            pass
        try:
            out.append(line.decode("cp1252"))
        except UnicodeDecodeError:
            bad += 1
            out.append(line.decode("latin-1"))
    if bad > max(3, len(lines) // 10):
        # Neither UTF-8 nor a Western legacy encoding: ask a detector before giving up.
        from charset_normalizer import from_bytes

        best = from_bytes(data).best()
        if best is None or best.encoding is None:
            raise EncodingError(
                "cannot tell the text encoding (not UTF-8, cp1252 or latin-1)", origin=origin
            )
        return str(best)
    return "".join(out)
