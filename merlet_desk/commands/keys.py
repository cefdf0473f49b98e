"""`merlet-desk encrypt | key recover | key rotate`: the register encrypted at rest.

    merlet-desk encrypt --db PATH [--key-file F] [--recovery-sheet OUT.pdf]
    merlet-desk key recover --db PATH [--key-file F]     # the 48 digits on stdin
    merlet-desk key rotate --db PATH [--key-file F] [--recovery-sheet OUT.pdf]

Exit codes: 0 done, 2 bad input (a typo in the recovery key, a key that does not fit, no key
store and no key file, the register in use): one line on stderr, nothing changed.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

from merlet_desk.commands.common import database_path, refuse_in_read_only
from merlet_desk.commands.init import add_encryption_options, sheet_path
from merlet_desk.errors import InputError

if TYPE_CHECKING:
    from merlet_desk.encryption import Outcome


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    """Add this module's subcommands."""
    encrypt = subparsers.add_parser(
        "encrypt",
        parents=[common],
        help="versleutel een bestaand register en zijn back-ups (SQLCipher, AES-256)",
        description=(
            "Zet het register om naar een versleuteld bestand (gecontroleerd, in één keer "
            "verwisseld) en versleutel de back-ups; maakt de herstelsleutel."
        ),
    )
    add_encryption_options(encrypt, always=True)
    encrypt.set_defaults(func=run_encrypt)

    key = subparsers.add_parser(
        "key",
        help="de sleutel van een versleuteld register: terugzetten of vervangen",
        description="De sleutel van een versleuteld register.",
    )
    actions = key.add_subparsers(dest="key_action", metavar="ACTIE", required=True)
    recover = actions.add_parser(
        "recover",
        parents=[common],
        help="zet de sleutel terug met de herstelsleutel (48 cijfers op de invoer)",
        description=(
            "Lees de herstelsleutel (48 cijfers) van de invoer, controleer hem op het register "
            "en bewaar de sleutel in de sleutelkluis van deze computer (of in --key-file)."
        ),
    )
    recover.set_defaults(func=run_recover, command="key recover")
    rotate = actions.add_parser(
        "rotate",
        parents=[common],
        help="vervang de sleutel: nieuw blad Herstelsleutel, het oude geldt niet meer",
        description=(
            "Versleutel het register en zijn back-ups opnieuw met een nieuwe sleutel en maak "
            "een nieuwe herstelsleutel; de oude sleutel en het oude blad openen niets meer."
        ),
    )
    add_encryption_options(rotate, always=True)
    rotate.set_defaults(func=run_rotate, command="key rotate")


# Encryption is a file's: a register on a server lies on IT's disk, in IT's backups.
ON_SERVER = "Versleutel de schijf en de back-ups van de server daar (ICT)."


def _convert(args: argparse.Namespace, step: Callable[..., Outcome]) -> int:
    """`encrypt` and `key rotate`: the register (not read-only) converted under a new key."""
    from merlet_desk.store.connection import check_database_file

    refuse_in_read_only(args)
    path = database_path(args, ON_SERVER)
    check_database_file(path)
    outcome = step(path, sheet=sheet_path(args, path))
    print("\n".join(outcome.lines))
    return 0


def run_encrypt(args: argparse.Namespace) -> int:
    from merlet_desk.encryption import encrypt

    return _convert(args, encrypt)


def run_recover(args: argparse.Namespace) -> int:
    from merlet_desk.encryption import recover

    path = database_path(args, ON_SERVER)
    if sys.stdin.isatty():
        print("Typ de herstelsleutel (48 cijfers) en druk op Enter:", file=sys.stderr)
        text = sys.stdin.readline()
    else:
        text = sys.stdin.read(4096)
    if not text.strip():
        raise InputError("Er is geen herstelsleutel gegeven (verwacht 48 cijfers op de invoer).")
    outcome = recover(path, text)
    print("\n".join(outcome.lines))
    return 0


def run_rotate(args: argparse.Namespace) -> int:
    from merlet_desk.encryption import rotate

    return _convert(args, rotate)
