"""Text that comes from outside — a file, a link, a typed name — made safe before it is used:
Unicode NFC (a Vietnamese keyboard in "tổ hợp" mode types NFD), trimmed, and without control or
bidirectional-override characters (pasted from Word they break exports, or reverse what is shown)."""

from __future__ import annotations

import unicodedata

# Cc: control characters (tab, CR, NUL …); Cf: format characters (bidi overrides U+202A–202E and
# U+2066–2069, zero-width joiners …). Excel's "_x000D_" escape for a carriage return is one too.
_EXCEL_ESCAPE = "_x000D_"


def unsafe_characters(text: str) -> list[str]:
    """Each control or format character in `text`, as U+XXXX."""
    return sorted({f"U+{ord(ch):04X}" for ch in text if unicodedata.category(ch) in ("Cc", "Cf")})


def clean_text(text: str) -> tuple[str, list[str]]:
    """(NFC, trimmed, without control/format characters; the characters removed as U+XXXX)."""
    text = text.replace(_EXCEL_ESCAPE, " ")
    removed = unsafe_characters(text)
    kept = "".join(" " if unicodedata.category(ch) == "Cc" else ch for ch in text if unicodedata.category(ch) != "Cf")
    return " ".join(unicodedata.normalize("NFC", kept).split()), removed


def same_name_key(text: str) -> str:
    """What makes two names the same unit: NFC, case and spacing folded."""
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


FORMULA_LEADS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: object) -> object:
    """Text a spreadsheet would run as a formula (it starts with = + - @, a tab or a CR) gets a
    leading apostrophe; numbers and other text pass unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_LEADS):
        return "'" + value
    return value
