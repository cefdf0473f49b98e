"""Letterhead PDF reports (reportlab). No Qt: the CLI and the GUI call the same builders."""
