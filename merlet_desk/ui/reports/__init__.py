"""The Rapporten section: letterhead reports with preview and print."""
