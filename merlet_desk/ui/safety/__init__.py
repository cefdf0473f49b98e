"""Backup, restore, verify, the audit log and the retention purge (the Extra menu)."""
