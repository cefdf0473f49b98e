"""The recovery key of an encrypted register, on the model of BitLocker's recovery password.

A recovery key is 128 random bits, written as 48 digits in 8 groups of 6. Each group is a
16-bit number times 11, so every group is divisible by 11: a mistyped digit, or two
neighbouring digits swapped, makes the group fail that check, and the person typing is told
which group. 65,535 × 11 = 720,885 still fits in six digits.

The database key is *derived* from the recovery key (HKDF-SHA256, RFC 5869): whoever holds
the 48 digits can compute the 256-bit key that SQLCipher uses, on any machine, without the
key store and without any file beside the database. That is the whole point of the sheet in
the safe. The key therefore carries the recovery key's 128 bits of strength, which is what a
BitLocker recovery password carries too, and beyond the reach of any search.

Pure Python: no file, no database, no Qt.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass

from merlet_desk.errors import InputError

GROUPS = 8
GROUP_DIGITS = 6
CHECK = 11
GROUP_BITS = 16
SECRET_BYTES = GROUPS * GROUP_BITS // 8  # 16 bytes, 128 bits
KEY_BYTES = 32  # SQLCipher's raw key: AES-256
DIGITS = GROUPS * GROUP_DIGITS

# Changing these changes every derived key: they are part of the file format.
_HKDF_SALT = b"Merlet Desk herstelsleutel"
_HKDF_INFO = b"SQLCipher 4 raw key v1"

# Problem codes (`InputError.codes`), so that callers never read the wording.
WRONG_LENGTH = "recovery_key.length"
WRONG_GROUP = "recovery_key.group"


@dataclass(frozen=True)
class RecoveryKey:
    """128 random bits; `text` is how the sheet prints them, `database_key` what opens."""

    secret: bytes

    def __post_init__(self) -> None:
        if len(self.secret) != SECRET_BYTES:
            raise ValueError(f"a recovery key holds {SECRET_BYTES} bytes, not {len(self.secret)}")

    @property
    def groups(self) -> list[str]:
        """The eight groups of six digits, each divisible by 11."""
        values = [int.from_bytes(self.secret[i : i + 2], "big") for i in range(0, SECRET_BYTES, 2)]
        return [f"{value * CHECK:0{GROUP_DIGITS}d}" for value in values]

    @property
    def text(self) -> str:
        """ "123456-234567-…": how the sheet shows it and how it may be typed back."""
        return "-".join(self.groups)

    @property
    def database_key(self) -> bytes:
        """The 256-bit SQLCipher key this recovery key stands for."""
        return derive_database_key(self.secret)


def derive_database_key(secret: bytes) -> bytes:
    """HKDF-SHA256 (extract, then one expand block) of the recovery key's 16 bytes."""
    pseudo_random = hmac.new(_HKDF_SALT, secret, hashlib.sha256).digest()
    return hmac.new(pseudo_random, _HKDF_INFO + b"\x01", hashlib.sha256).digest()[:KEY_BYTES]


def new_recovery_key() -> RecoveryKey:
    """A fresh recovery key from the operating system's random source."""
    return RecoveryKey(secrets.token_bytes(SECRET_BYTES))


def parse_recovery_key(text: str) -> RecoveryKey:
    """The recovery key typed or pasted by a person: 48 digits, in groups or not (spaces,
    dashes, dots and line breaks are ignored). A wrong count or a group that fails its check
    raises `InputError` naming the group; nothing else is looked at."""
    digits = re.sub(r"[\s\-.–]", "", text)
    if not digits.isascii() or not digits.isdigit():
        wrong = sorted({ch for ch in digits if not ("0" <= ch <= "9")})
        raise InputError(
            "De herstelsleutel bestaat alleen uit cijfers (48, in 8 groepen van 6); "
            f"er staat ook {', '.join(repr(ch) for ch in wrong)} in.",
            codes=[WRONG_LENGTH],
        )
    if len(digits) != DIGITS:
        raise InputError(
            f"De herstelsleutel heeft {DIGITS} cijfers (8 groepen van 6), niet {len(digits)}. "
            "Controleer of er een groep ontbreekt of dubbel staat.",
            codes=[WRONG_LENGTH],
        )
    groups = [digits[i : i + GROUP_DIGITS] for i in range(0, DIGITS, GROUP_DIGITS)]
    bad = [
        (number, group)
        for number, group in enumerate(groups, start=1)
        if int(group) % CHECK or int(group) // CHECK >= 1 << GROUP_BITS
    ]
    if bad:
        where = ", ".join(f"groep {number} ({group})" for number, group in bad)
        raise InputError(
            f"Tikfout in de herstelsleutel: {where} klopt niet. Vergelijk die cijfers met het "
            "blad Herstelsleutel.",
            codes=[WRONG_GROUP],
        )
    secret = b"".join((int(group) // CHECK).to_bytes(2, "big") for group in groups)
    return RecoveryKey(secret)


def key_id(key: bytes) -> str:
    """A short public name of a database key ("4F1A-93C2"), printed on the recovery sheet and
    shown when a key is asked for, so that the right sheet is found after a rotation. It is a
    hash: it tells nothing about the key itself."""
    digest = hashlib.sha256(b"Merlet Desk sleutel-ID" + key).hexdigest().upper()
    return f"{digest[:4]}-{digest[4:8]}"
