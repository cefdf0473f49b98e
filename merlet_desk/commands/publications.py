"""Subcommands for publications. (Registered in cli.COMMAND_MODULES; filled in by that issue.)"""

from __future__ import annotations

import argparse


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    """Add this module's subcommands."""
