"""统一社会信用代码 (GB 32100-2015): 18 characters, the last one a check character.

The alphabet is the digits and 21 capital letters (no I, O, S, V, Z); character *i* (from 0)
of the first 17 has the weight 3**i mod 31, and the check character is the one whose value is
(31 − Σ value × weight mod 31) mod 31.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = [pow(3, i, 31) for i in range(17)]
LENGTH = 18


def check_character(first17: str) -> str:
    """The check character of the first 17 characters (which must be in the alphabet)."""
    total = sum(ALPHABET.index(ch) * weight for ch, weight in zip(first17, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def credit_code_error(value: str) -> str | None:
    """Why ``value`` is not a valid code, or None when it is."""
    code = (value or "").strip().upper()
    if len(code) != LENGTH:
        return _("A unified social credit code has 18 characters; this one has %(n)s.") % {
            "n": len(code)
        }
    bad = sorted({ch for ch in code if ch not in ALPHABET})
    if bad:
        return _("A unified social credit code cannot contain %(chars)s.") % {
            "chars": "、".join(bad)
        }
    if check_character(code[:17]) != code[17]:
        return _("The check character is wrong: please check the code for a typing mistake.")
    return None


def validate_credit_code(value: str) -> None:
    error = credit_code_error(value)
    if error:
        raise ValidationError(error, code="credit_code")
