"""Subcommands of `merlet-desk`; each module has `register(subparsers, common)`.

`common` is a parent parser with `--db PATH`; a command sets `func` (args -> exit code).
"""
