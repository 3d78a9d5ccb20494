"""Invitation codes: short enough to read out or type, long enough not to be guessed."""

from __future__ import annotations

import secrets
import unicodedata

# No 0/O, 1/I/L, 2/Z, 5/S, 8/B: nothing to confuse when a code is read aloud or copied by hand.
ALPHABET = "34679ACDEFGHJKMNPQRTUVWXY"
LENGTH = 12  # 25**12 ≈ 2**55
LONG = 20  # 25**20 ≈ 2**93: a link answered without an account (feedback), still typable from paper


def new_code(length: int = LENGTH) -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(length))


def normalise_code(typed: str) -> str:
    """What a person typed (full-width, lower case, with hyphens or spaces) as a stored code."""
    text = unicodedata.normalize("NFKC", typed).upper()
    return "".join(ch for ch in text if ch.isalnum())


def format_code(code: str) -> str:
    """ABCD-EFGH-JKMN, for reading."""
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))
