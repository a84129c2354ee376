"""Stable, unguessable public codes (printed later as QR codes on rooms, buildings, assets)."""

from __future__ import annotations

import secrets

# Crockford-style alphabet without look-alikes (no 0/O, 1/I/L, U).
ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
LENGTH = 12  # 30**12 ≈ 5.3e17 possibilities


def new_public_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
